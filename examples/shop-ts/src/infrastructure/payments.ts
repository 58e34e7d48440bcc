import axios from "axios";
import type { PaymentsClient } from "../application/ports";

const payments = axios.create({ baseURL: "https://payments.example.com", timeout: 5000 });
const legacy = axios.create({ baseURL: "https://legacy.example.com" });

// seeded: IL201
export class StripePaymentAdapter implements PaymentsClient {
  // seeded: IL701
  private apiKey = "sk_live_51HxQ2e";
  private readonly http = axios.create({ baseURL: "https://api.stripe.com" });

  async charge(cents: number): Promise<string> {
    // seeded: IL403
    const response = await this.http.post("/v1/charges", { amount: cents });
    await payments.post("/audit", { cents });
    // seeded: IL403
    await legacy.get("/ping");
    // seeded: IL403
    await axios.get("https://status.stripe.com");
    await axios.get("https://status.stripe.com", { timeout: 1000 });
    // seeded: IL403
    await fetch("https://hooks.example.com/charged");
    await fetch("https://hooks.example.com/charged", { signal: AbortSignal.timeout(2000) });
    return String(response.data.id) + this.apiKey;
  }
}
