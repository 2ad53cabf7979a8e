/**
 * The time zones a US postal address may be in, from its state and (for states split between zones)
 * its ZIP code's first three digits. Where a ZIP-3 area itself straddles a zone line, both zones are
 * listed: the contact window is then the part of 8 am–9 pm that is inside the window in each of them.
 * Unknown state → every US zone (see ALL_US_ZONES), which still leaves an afternoon window (ET 1–9 pm).
 */

const ET = 'America/New_York';
const CT = 'America/Chicago';
const MT = 'America/Denver';
const AZ = 'America/Phoenix'; // Mountain without daylight saving time
const PT = 'America/Los_Angeles';
const AK = 'America/Anchorage';
const HST = 'Pacific/Honolulu';
const AST = 'America/Puerto_Rico';
const CHST = 'Pacific/Guam';
const SST = 'Pacific/Pago_Pago';
const ADAK = 'America/Adak';

/** Every zone a US address can be in, for an address whose zone is unknown. */
export const ALL_US_ZONES: readonly string[] = [ET, CT, MT, AZ, PT, AK, ADAK, HST, AST, CHST, SST];

const STATE_ZONES: Record<string, string[]> = {
  CT: [ET], DE: [ET], DC: [ET], GA: [ET], ME: [ET], MD: [ET], MA: [ET], NH: [ET], NJ: [ET], NY: [ET], NC: [ET], OH: [ET],
  PA: [ET], RI: [ET], SC: [ET], VT: [ET], VA: [ET], WV: [ET],
  AL: [CT], AR: [CT], IL: [CT], IA: [CT], LA: [CT], MN: [CT], MS: [CT], MO: [CT], OK: [CT], WI: [CT],
  AZ: [AZ], CO: [MT], MT: [MT], NM: [MT], UT: [MT], WY: [MT],
  CA: [PT], NV: [PT], WA: [PT],
  HI: [HST], PR: [AST], VI: [AST], GU: [CHST], MP: [CHST], AS: [SST],
  // split states: both zones unless the ZIP says which (SPLIT_ZIP3 below)
  FL: [ET, CT], IN: [ET, CT], KY: [ET, CT], MI: [ET, CT], TN: [ET, CT],
  TX: [CT, MT], KS: [CT, MT], NE: [CT, MT], ND: [CT, MT], SD: [CT, MT],
  ID: [MT, PT], OR: [PT, MT], AK: [AK, ADAK],
};

/**
 * ZIP-3 prefixes of split states. A prefix not listed takes the state's main zone (the first of the
 * pair); a prefix listed with two zones straddles the line.
 */
const SPLIT_ZIP3: Record<string, Record<string, string[]>> = {
  FL: { '323': [ET, CT], '324': [CT], '325': [CT] },
  IN: { '463': [CT, ET], '464': [CT, ET], '476': [CT], '477': [CT], '475': [ET, CT] },
  KY: { '420': [CT], '421': [CT, ET], '422': [CT], '423': [CT], '424': [CT], '427': [ET, CT] },
  MI: { '498': [ET, CT], '499': [ET, CT] },
  TN: { '370': [CT], '371': [CT], '372': [CT], '373': [ET, CT], '374': [ET], '375': [CT], '380': [CT], '381': [CT],
    '382': [CT], '383': [CT], '384': [CT], '385': [CT, ET], '376': [ET], '377': [ET], '378': [ET], '379': [ET] },
  TX: { '798': [MT], '799': [MT], '885': [MT], '797': [CT, MT] },
  KS: { '677': [CT, MT], '678': [CT, MT] },
  NE: { '690': [CT, MT], '691': [CT, MT], '693': [MT] },
  ND: { '586': [MT, CT], '588': [CT, MT] },
  SD: { '577': [MT], '576': [CT, MT], '575': [CT, MT] },
  ID: { '838': [PT], '835': [PT, MT] },
  OR: { '979': [MT, PT] },
  AK: { '995': [AK, ADAK] },
};

/** The zones to respect for an address: one when known, several when it is on a line or unknown. */
export function zonesForAddress(state: string | null | undefined, zip: string | null | undefined): string[] {
  const st = (state ?? '').trim().toUpperCase();
  const zones = STATE_ZONES[st];
  if (!zones) return [...ALL_US_ZONES];
  if (zones.length === 1) return zones;
  const zip3 = (zip ?? '').replace(/\D/g, '').slice(0, 3);
  const split = SPLIT_ZIP3[st];
  if (zip3.length === 3 && split) return split[zip3] ?? [zones[0]!];
  return zones;
}
