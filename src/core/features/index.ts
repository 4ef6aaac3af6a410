import type { Feature } from "../feature.ts";
import { attendanceFeature } from "./attendance.ts";
import { helpFeature } from "./help.ts";
import { languageFeature } from "./language.ts";
import { scheduleFeature } from "./schedule.ts";
import { startFeature } from "./start.ts";

/** Every chat feature, in the order /huongdan lists them. */
export function chatFeatures(): Feature[] {
  const features: Feature[] = [startFeature, scheduleFeature, attendanceFeature, languageFeature];
  features.push(helpFeature(() => features));
  return features;
}
