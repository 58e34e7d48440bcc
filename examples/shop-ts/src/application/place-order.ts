import type { Order } from "../domain/order";
import type { OrderRepository, PaymentsClient } from "./ports";

export class PlaceOrder {
  constructor(private readonly orders: OrderRepository, private readonly payments: PaymentsClient) {}

  async run(order: Order): Promise<void> {
    try {
      await this.payments.charge(order.total.cents);
    } catch (error) {
      throw new Error(`payment failed: ${String(error)}`);
    }
    try {
      await this.orders.save(order);
    // seeded: IL303
    } catch (error) {
      // the order will be saved next time
    }
    // seeded: IL303
    this.notify(order).catch(() => {});
    this.notify(order).catch((error) => this.report(error));
    // seeded: IL703
    console.log("order placed", order);
  }

  async audit(order: Order): Promise<void> {
    // seeded: IL101
    const { AuditLog } = await import("../infrastructure/audit.adapter");
    // seeded: IL101
    const legacy = require("../infrastructure/legacy.client");
    await new AuditLog(legacy).write(order);
  }

  private async notify(order: Order): Promise<void> {
    void order;
  }

  private report(error: unknown): void {
    void error;
  }
}
