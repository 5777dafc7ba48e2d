import { asc } from "drizzle-orm";
import { products } from "@/db/schema";

/** The merchant's order, then a stable tie-break for products placed before positions existed. */
export const storefrontOrder = [asc(products.position), asc(products.name), asc(products.id)];
