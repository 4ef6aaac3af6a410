import type { Feature } from "../feature.ts";
import { attendanceFeature } from "./attendance.ts";
import { cancelFeature } from "./cancel.ts";
import { consentFeature } from "./consent.ts";
import { consoleLinkFeature } from "./consoleLink.ts";
import { digestFeature } from "./digest.ts";
import { feedbackFeature } from "./feedback.ts";
import { groupLinkFeature } from "./groupLink.ts";
import { helpFeature } from "./help.ts";
import { languageFeature } from "./language.ts";
import { linkCodeFeature } from "./linkCode.ts";
import { meetingHeldFeature } from "./meetingHeld.ts";
import { meetingSetupFeature } from "./meetingSetup.ts";
import { noticeAckFeature, noticeFeature } from "./notice.ts";
import { postponeFeature } from "./postpone.ts";
import { reviewFeature } from "./review.ts";
import { rollCallFeature } from "./rollCall.ts";
import { myDataFeature } from "./myData.ts";
import { myFeedbackFeature } from "./myFeedback.ts";
import { scheduleFeature } from "./schedule.ts";
import { startFeature } from "./start.ts";

/** Every chat feature, in the order /huongdan lists them. */
export function chatFeatures(): Feature[] {
  const features: Feature[] = [startFeature, scheduleFeature, attendanceFeature, feedbackFeature, myFeedbackFeature, digestFeature, reviewFeature, rollCallFeature, meetingHeldFeature, postponeFeature, meetingSetupFeature, noticeFeature, noticeAckFeature, groupLinkFeature, languageFeature, linkCodeFeature, myDataFeature, consentFeature, consoleLinkFeature, cancelFeature];
  features.push(helpFeature(() => features));
  return features;
}
