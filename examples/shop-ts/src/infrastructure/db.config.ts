export interface PaymentsConfig {
  baseUrl: string;
}

// seeded: IL701
export const DB_PASSWORD = "pg-Sup3rS3cret";
export const DB_USER = process.env.DB_USER ?? "shop";
export const PAYMENTS_API_KEY = process.env.PAYMENTS_API_KEY;
export const PASSWORD_HEADER = "X-Password";
// seeded: IL701
export const DATABASE_URL = "postgres://shop:hunter22@db:5432/shop";
export const LOCAL_URL = "postgres://shop:password@localhost:5432/shop";
