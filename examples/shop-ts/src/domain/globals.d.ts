// Declarations are not linted: this import would be IL101 in a .ts file.
import type { OrderRecord } from "../infrastructure/order.repository";
declare global {
  var lastOrder: OrderRecord | undefined;
}
