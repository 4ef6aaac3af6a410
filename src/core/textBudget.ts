/**
 * How long one message may be on each channel, less room for what the channel adds (Zalo numbers
 * the choices under the text). The core fits long views and digests to the budget of the chat
 * they go to; the channel's own cut is only a last resort.
 */
const BUDGETS: Record<string, number> = {
  telegram: 3900, // Telegram takes 4096 characters
  web: 3900,
  zalo_bot: 1600, // Zalo takes 2000; the numbered choices and their hint come under the text
  zalo_oa: 1600,
};

export function textBudget(channel: string): number {
  return BUDGETS[channel] ?? Math.min(...Object.values(BUDGETS));
}

/**
 * A text that lists names, fitted to `budget` characters: `compose(shown)` writes it with at most
 * `shown` names in each list (and how many more there are), and the largest `shown` that fits is
 * kept, so every count stays while a list of hundreds is shortened. At least one name a list.
 */
export function fitNames(budget: number, longest: number, compose: (shown: number) => string): string {
  let shown = Math.max(1, longest);
  for (;;) {
    const text = compose(shown);
    if (text.length <= budget || shown === 1) return text;
    shown = Math.max(1, Math.floor(shown * 0.8));
  }
}
