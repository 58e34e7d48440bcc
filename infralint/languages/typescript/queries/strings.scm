; Every string literal, for connection URLs and credential shapes (IL701):
; run only on files whose text holds "://" or one of the shapes' prefixes.
(string) @string
(template_string) @string
