import type { TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";

type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

/** DynamoDB's limit on actions in one TransactWriteItems call. */
export const MAX_TRANSACT_ITEMS = 100;

/**
 * What a write in the event transaction is for. When the transaction is cancelled, the
 * pipeline looks at the failing item's tag to decide: `log` (already applied → replay),
 * `balance` (a min/max limit → that reward is rejected and the plan is rebuilt), anything
 * else (a concurrent change → reload and retry).
 */
export interface TransactTag {
  kind: "log" | "mission" | "balance" | "ledger" | "badge" | "consumer" | (string & {});
  /** For balance items: the currency id. */
  ref?: string;
}

/**
 * Collects the writes of one applied event so they commit in a single DynamoDB transaction.
 * Consumers add their own items with the same methods.
 */
export class TransactionBuilder {
  readonly items: TransactItem[] = [];
  readonly tags: TransactTag[] = [];

  put(params: NonNullable<TransactItem["Put"]>, tag: TransactTag): this {
    return this.add({ Put: params }, tag);
  }

  update(params: NonNullable<TransactItem["Update"]>, tag: TransactTag): this {
    return this.add({ Update: params }, tag);
  }

  conditionCheck(params: NonNullable<TransactItem["ConditionCheck"]>, tag: TransactTag): this {
    return this.add({ ConditionCheck: params }, tag);
  }

  delete(params: NonNullable<TransactItem["Delete"]>, tag: TransactTag): this {
    return this.add({ Delete: params }, tag);
  }

  private add(item: TransactItem, tag: TransactTag): this {
    this.items.push(item);
    this.tags.push(tag);
    return this;
  }

  get size(): number {
    return this.items.length;
  }
}
