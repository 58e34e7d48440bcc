import { round } from "@shared";
// seeded: IL103
import { taxRate } from "../shared/rates";

export class Money {
  constructor(readonly cents: number) {}

  add(other: Money): Money {
    return new Money(round(this.cents + other.cents));
  }

  withTax(region: string): Money {
    return new Money(round(this.cents * (1 + taxRate(region))));
  }
}
