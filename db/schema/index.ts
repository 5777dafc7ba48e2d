export * from "./enums";
export * from "./auth";
export * from "./team";
export * from "./merchants";
export * from "./catalog";
export * from "./orders";
export * from "./payments";
export * from "./sandbox";
