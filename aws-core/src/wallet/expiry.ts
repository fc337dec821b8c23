import { queryPages } from "../db/query";
import { commitTransaction } from "../pipeline/commit";
import { TransactionBuilder } from "../pipeline/transaction";
import { addExpire, expiringIndexPk, ledgerEntryFromItem } from "./ledger";

/**
 * The end-of-period side effect of the wallet: PENDING credits past `expiresAt` become
 * EXPIRED and leave the balance's `amount`. Reads already show them EXPIRED before this runs
 * (the state follows from time); this sweep makes the balance agree. Each expiry is its own
 * conditional transaction, so a concurrent redeem or a second sweep cannot double-apply it.
 */
export async function expirePendingTransactions(workspaceId: string, now = new Date()): Promise<number> {
  const at = now.toISOString();
  let expired = 0;
  for await (const items of queryPages({
    IndexName: "gsi2",
    KeyConditionExpression: "gsi2pk = :pk AND gsi2sk <= :now",
    ExpressionAttributeValues: { ":pk": expiringIndexPk(workspaceId), ":now": `${at}\uffff` },
  })) {
    for (const item of items) {
      const entry = ledgerEntryFromItem(item);
      if (entry.state !== "PENDING" || !entry.expiresAt || entry.expiresAt > at) continue;
      const tx = new TransactionBuilder();
      addExpire(tx, entry, at);
      if ((await commitTransaction(tx)).ok) expired++;
    }
  }
  return expired;
}
