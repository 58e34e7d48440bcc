import { Money } from "./money";
import { now } from "../shared/clock";
// seeded: IL101
import { OrderRecord } from "../infrastructure/order.repository";
// seeded: IL101
import type { PaymentsConfig } from "@infra/db.config";
// seeded: IL102
import { Entity, Column } from "typeorm";
import { z } from "zod";

const orderText = "import { db } from '../infrastructure/db.config'";

@Entity()
export class Order {
  @Column() total = new Money(0);
  placedAt = now();
  record?: OrderRecord;
  config?: PaymentsConfig;
  schema = z.object({ text: z.string().default(orderText) });
}
