"""TypeScript and JavaScript: tree-sitter front end, module resolution
(relative specifiers, tsconfig paths), suppressions and the rules' checks.
Imported only by runs that meet a TypeScript or JavaScript file."""
