/**
 * The in-memory store keeps the store contract.
 *
 * @module
 */

import { memoryStore } from "../../lib/store/memory_store.ts";
import { runStoreContract } from "../contract/store_contract.ts";

runStoreContract("memory", (root, options) => memoryStore(root, options));
