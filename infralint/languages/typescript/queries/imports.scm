; The imports alone, for the import graph of files the run did not lint
; (same patterns as module.scm's imports).
(import_statement source: (string) @source) @import
(export_statement source: (string) @source) @import
(import_require_clause source: (string) @source) @import
(call_expression function: (import) arguments: (arguments . (string) @source .)) @import.dynamic
((call_expression function: (identifier) @_require arguments: (arguments . (string) @source .)) @import.require
  (#eq? @_require "require"))
