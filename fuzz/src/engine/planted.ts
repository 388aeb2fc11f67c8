import type { FuzzTarget } from './target';

// Targets with a planted bug, for the engine's own test (runFuzz's targetModule):
// only coverage guidance finds the crash in seconds (three bytes in a row: 1 in
// 2^24 for blind guessing).

/** Throws on inputs that start with "FUZ". */
export const plantedCrash: FuzzTarget = {
  name: 'planted-crash',
  about: 'throws when the input starts with FUZ',
  maxLen: 16,
  fuzz(d) {
    if (d.length > 2 && d[0] === 0x46) {
      if (d[1] === 0x55) {
        if (d[2] === 0x5a) throw new Error('planted crash');
      }
    }
  },
};

/** Never returns on inputs that start with "HA". */
export const plantedHang: FuzzTarget = {
  name: 'planted-hang',
  about: 'loops forever when the input starts with HA',
  maxLen: 16,
  fuzz(d) {
    if (d.length > 1 && d[0] === 0x48) {
      if (d[1] === 0x41) for (;;);
    }
  },
};
