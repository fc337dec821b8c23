import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/** A Lambda `Context` as the runtime hands it to a handler, for in-process local invocations. */
export function lambdaContext(options: {
  functionName: string;
  region?: string;
  accountId?: string;
  timeoutMs?: number;
  memoryMb?: number;
}): Context {
  const region = options.region ?? "eu-west-1";
  const accountId = options.accountId ?? "000000000000";
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const unsupported = () => {
    throw new Error("callback-style completion is not supported; return a promise");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: options.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 1024),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll("-", "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
