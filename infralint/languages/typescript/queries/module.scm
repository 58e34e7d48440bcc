; What the rules read of a TypeScript / JavaScript module, in one pass.
; Each pattern's outermost capture names the fact (see front_end.py);
; captures starting with "_" are only there for the predicates. Strings and
; comments are matched by strings.scm and comments.scm, only in files whose
; text may need them (a URL, a credential prefix, a suppression): every
; match costs, and most files need neither.

; Imports ---------------------------------------------------------------
; import x from "m"; import "m"; import type { T } from "m"
(import_statement source: (string) @source) @import
; export { x } from "m"; export * from "m"
(export_statement source: (string) @source) @import
; import x = require("m")
(import_require_clause source: (string) @source) @import
; import("m")
(call_expression function: (import) arguments: (arguments . (string) @source .)) @import.dynamic
; require("m")
((call_expression function: (identifier) @_require arguments: (arguments . (string) @source .)) @import.require
  (#eq? @_require "require"))

; Classes (IL201, IL601) ------------------------------------------------
(class_declaration) @class
(abstract_class_declaration) @class

; Error handling (IL303) ------------------------------------------------
(catch_clause body: (statement_block) @body) @catch
((call_expression
   function: (member_expression property: (property_identifier) @property)
   arguments: (arguments . [(arrow_function) (function_expression)] @handler .)) @promise.catch
  (#eq? @property "catch"))

; HTTP calls (IL403) ----------------------------------------------------
((call_expression function: (identifier) @callee arguments: (arguments) @arguments) @call.plain
  (#any-of? @callee "fetch" "axios"))
((call_expression
   function: (member_expression object: (_) @receiver property: (property_identifier) @verb)
   arguments: (arguments) @arguments) @call.method
  (#any-of? @verb "get" "post" "put" "patch" "delete" "head" "options" "request"))
; client = axios.create({...}) as a variable, a class field or this.client
((variable_declarator
   name: (identifier) @name
   value: (call_expression function: (member_expression object: (identifier) @factory property: (property_identifier) @_create) arguments: (arguments) @arguments)) @instance
  (#eq? @_create "create"))
((public_field_definition
   name: (property_identifier) @field
   value: (call_expression function: (member_expression object: (identifier) @factory property: (property_identifier) @_create) arguments: (arguments) @arguments)) @instance
  (#eq? @_create "create"))
((assignment_expression
   left: (member_expression object: (this) property: (property_identifier) @field)
   right: (call_expression function: (member_expression object: (identifier) @factory property: (property_identifier) @_create) arguments: (arguments) @arguments)) @instance
  (#eq? @_create "create"))

; Secrets (IL701) -------------------------------------------------------
(variable_declarator name: (identifier) @name value: [(string) (template_string)] @value) @secret.declared
(public_field_definition name: [(property_identifier) (private_property_identifier)] @name value: [(string) (template_string)] @value) @secret.declared
(assignment_expression left: (identifier) @name right: [(string) (template_string)] @value) @secret.declared
(assignment_expression left: (member_expression property: (property_identifier) @name) right: [(string) (template_string)] @value) @secret.declared
(pair key: [(property_identifier) (string)] @name value: [(string) (template_string)] @value) @secret.stored
(required_parameter pattern: (identifier) @name value: [(string) (template_string)] @value) @secret.default
(assignment_pattern left: (identifier) @name right: [(string) (template_string)] @value) @secret.default
(object_assignment_pattern left: (shorthand_property_identifier_pattern) @name right: [(string) (template_string)] @value) @secret.default

; SQL (IL702) -----------------------------------------------------------
((call_expression
   function: [(member_expression property: (property_identifier) @callee) (identifier) @callee]
   arguments: (arguments . [(template_string) (binary_expression)] @argument)) @sql
  (#any-of? @callee "query" "execute" "raw" "$queryRawUnsafe" "$executeRawUnsafe"))

; Output (IL703) --------------------------------------------------------
((call_expression function: (member_expression object: (identifier) @_console property: (property_identifier) @method)) @console
  (#eq? @_console "console")
  (#any-of? @method "log" "info" "debug" "warn" "error"))

; Knex migrations (IL601) -----------------------------------------------
; exports.up = ...; module.exports.down = ...
((assignment_expression
   left: (member_expression property: (property_identifier) @name) @_target
   right: [(function_expression) (arrow_function)] @function) @migration.step
  (#any-of? @name "up" "down")
  (#match? @_target "^(module\\.)?exports\\."))
; export async function down(knex) {}
((export_statement declaration: (function_declaration name: (identifier) @name) @function) @migration.step
  (#any-of? @name "up" "down"))
; export const down = async (knex) => {}
((export_statement declaration: (lexical_declaration (variable_declarator name: (identifier) @name value: [(function_expression) (arrow_function)] @function))) @migration.step
  (#any-of? @name "up" "down"))
