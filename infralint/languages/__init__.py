"""Front ends for the languages besides Python (whose front end is the
engine's own `ast` path): `infralint.languages.typescript`. What language
a file is in, and the names of the languages, are in `infralint.filetypes`
(the rules and discovery read them; they import nothing)."""
