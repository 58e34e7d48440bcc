import type { Order } from "../domain/order";

export interface OrderRecord {
  id: string;
}

interface Database {
  query(sql: string, values?: unknown[]): Promise<OrderRecord[]>;
}

export class OrderRepository {
  constructor(private readonly db: Database) {}

  async find(id: string): Promise<OrderRecord[]> {
    return this.db.query("SELECT * FROM orders WHERE id = $1", [id]);
  }

  async findByCustomer(customer: string): Promise<OrderRecord[]> {
    // seeded: IL702
    return this.db.query(`SELECT * FROM orders WHERE customer = '${customer}'`);
  }

  async save(order: Order): Promise<void> {
    // seeded: IL702
    await this.db.query("INSERT INTO orders (total) VALUES (" + order.total.cents + ")");
  }
}
