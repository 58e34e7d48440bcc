; Every string literal, for the credential shapes (IL701): run only on files
; whose text holds one of the shapes' prefixes.
(string) @string
(template_string) @string
