import type { TFunction } from "i18next";
import { AGENCY, isDefaultAddressee } from "../domain/addressees.ts";

/**
 * How an addressee reads: a default body in the reader's language with its unit ("UBND xã",
 * "HĐND phường"; "cấp xã" when items of several units are counted together), a body the member
 * named after "agency", or an organization's own body by the name it was given.
 */
export function addresseeLabel(t: TFunction, item: { addressee: string; agencyName?: string | null }, unitKind: string | null): string {
  if (isDefaultAddressee(item.addressee)) return t(`feedback:addressee_${item.addressee}`, { unit: unitWord(t, unitKind) });
  if (item.addressee === AGENCY) return item.agencyName ? `${t("feedback:addressee_agency")}: ${item.agencyName}` : t("feedback:addressee_agency");
  return item.agencyName ?? item.addressee;
}

/** "xã", "phường", "đặc khu"…; the generic "cấp xã" when unknown or when the unit is not a commune-level one. */
export function unitWord(t: TFunction, unitKind: string | null): string {
  return t(`org:unit_${unitKind && ["commune", "ward", "special_zone"].includes(unitKind) ? unitKind : "generic"}`);
}
