export * from "./enums";
export * from "./auth";
export * from "./merchants";
export * from "./catalog";
export * from "./orders";
export * from "./payments";
export * from "./sandbox";
