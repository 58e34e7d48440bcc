import express from "express";
import { PlaceOrder } from "./application/place-order";
import { OrderRepository } from "@infra/order.repository";
import { StripePaymentAdapter } from "@infra/payments";

const app = express();
const placeOrder = new PlaceOrder(new OrderRepository({ query: async () => [] }), new StripePaymentAdapter());
app.get("/health", (_request, response) => response.send("ok"));
app.listen(3000, () => console.log("listening on 3000", placeOrder));
