// A shared helper that reaches into the infrastructure: the domain importing
// it depends on the infrastructure through it (IL103).
import { DB_USER } from "@infra/db.config";

export const taxRate = (region: string): number => (region === DB_USER ? 0 : 0.2);
