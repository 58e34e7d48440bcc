import { OrderRepository } from "../../infrastructure/order.repository";
import axios from "axios";

console.log("tests may print", OrderRepository, axios);
