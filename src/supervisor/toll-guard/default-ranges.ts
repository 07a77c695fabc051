// The number ranges the toll guard knows without being told, for the countries this project's
// sites are in: national significant numbers (after the country code) by class. Data only.
// Sources and limits are in docs/toll-guard.md: national numbering plans change, so a site file
// adds its own ranges (routing.numbering.classes) and these are a floor, not the truth.

import type { NumberClasses } from '../../provisioning/site/guard-types';

const NONE: NumberClasses = { premium: [], sharedCost: [], tollFree: [], mobile: [] };

export const DEFAULT_RANGES: Readonly<Record<string, NumberClasses>> = {
  // China (MIIT numbering plan): mobiles 1[3-9] + 9 digits; 800 freephone, 400 numbers (the
  // caller pays a local call); 95xxx(x) national service numbers, dialled without an area code.
  '86': { ...NONE, mobile: ['_1[3-9]XXXXXXXXX'], tollFree: ['_800XXXXXXX'], sharedCost: ['_400XXXXXXX', '_95XXX', '_95XXXX'] },
  // Germany (BNetzA): mobiles 015x, 016x, 017x; 0900 premium, 0137 mass-call (charged per call)
  // and 118xx directory enquiries; 0180 shared-cost; 0800 freephone.
  '49': { premium: ['900', '137', '118'], sharedCost: ['180'], tollFree: ['800'], mobile: ['15', '16', '17'] },
  // United Kingdom (Ofcom): 07 mobiles except 070 personal numbers (a classic fraud range,
  // charged like premium) and 076 pagers; 09 premium; 084, 087 service numbers; 080 freephone.
  '44': { premium: ['9', '70'], sharedCost: ['84', '87'], tollFree: ['80'], mobile: ['71', '72', '73', '74', '75', '77', '78', '79'] },
  // NANP (+1): 900 premium; 8xx toll-free codes. Mobiles share the geographic codes.
  '1': { ...NONE, premium: ['900'], tollFree: ['800', '833', '844', '855', '866', '877', '888'] },
};
