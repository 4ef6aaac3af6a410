/**
 * Who may act on what, for the chat core: the pure checks live in the domain (the services make
 * them too), and the core reads them from here.
 */
export {
  addressesNoticesTo, isLeader, isReviewer, ledCells, leadsCell, outermostScopes, reviewerScopes, reviewsPath, seesAnyAttendance, seesAttendanceOf,
  type ActingMember, type MemberRoles, type ScopedRole,
} from "../domain/authorization.ts";
