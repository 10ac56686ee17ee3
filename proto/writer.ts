// cosmjs-types 0.11's BinaryWriter.alloc builds a fresh 8 KiB pool on every call (it calls
// `pool(...)` each time instead of once), so every `.finish()` of a message under 4 KiB allocates
// 8 KiB: accounts, balances and ABCI responses in every tx. That garbage made the collector one of
// the chain's largest costs. Replace it, once per process, by an exact-size allocation; the
// encoded bytes are identical (test/proto-writer.test.ts).
import { BinaryWriter } from "cosmjs-types/binary";

let installed = false;

export function installExactAllocator(): void {
  if (installed) return;
  installed = true;
  BinaryWriter.alloc = (size: number): Uint8Array => new Uint8Array(size);
}

installExactAllocator();
