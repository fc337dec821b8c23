import { INDEX_PK, PK, SK, sortKey } from "../db/keys";

/** Balances and ledger entries live in the user's partition (`WS#<ws>#USER#<userId>`, db/keys.ts). */
export function balanceKey(workspaceId: string, userId: string, currencyId: string) {
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.balance, currencyId) };
}

export function transactionKey(workspaceId: string, userId: string, transactionId: string) {
  return { pk: PK.user(workspaceId, userId), sk: sortKey(SK.transaction, transactionId) };
}

/** gsi1: the user's ledger history, newest first. */
export function transactionHistoryIndex(workspaceId: string, userId: string, createdAt: string, transactionId: string) {
  return { gsi1pk: INDEX_PK.userHistory(workspaceId, userId, SK.transaction), gsi1sk: `${createdAt}#${transactionId}` };
}
