export * from "./common";
export * from "./errors";
export * from "./identity";
export * from "./ids";
export * from "./index-records";
export * from "./learning-paths";
export * from "./media";
export * from "./sigv4";
