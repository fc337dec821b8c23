import type { Caller } from "./callers";

/** Test fixtures: request bodies and one-call creation of published content. */
export function quizBody(overrides: Record<string, unknown> = {}) {
  return {
    difficulty: "EASY",
    correctAnswer: "opt2",
    defaultLang: "en",
    translations: [
      {
        lang: "en",
        question: "Which gas do plants absorb?",
        opt1: "Oxygen",
        opt2: "CO2",
        opt3: "Helium",
        opt4: "Neon",
      },
    ],
    ...overrides,
  };
}

export function slideBody(overrides: Record<string, unknown> = {}) {
  return {
    defaultLang: "en",
    translations: [
      { lang: "en", title: "Photosynthesis", content: { contents: [{ type: "slide", text: "Light in" }] } },
    ],
    ...overrides,
  };
}

export function groupBody(items: { itemId: string; itemType: string }[], overrides: Record<string, unknown> = {}) {
  return { type: "test", defaultLang: "en", translations: [{ lang: "en", title: "Plants" }], items, ...overrides };
}

export function pathBody(items: { itemId: string; itemType: string }[], overrides: Record<string, unknown> = {}) {
  return {
    title: "Green basics",
    estimatedDuration: 10,
    defaultLang: "en",
    translations: [{ lang: "en", title: "Green basics" }],
    items,
    publish: true,
    ...overrides,
  };
}

export async function createPublished(admin: Caller, path: string, body: Record<string, unknown>, idField: string) {
  const created = await admin.json<Record<string, string>>(
    "POST",
    `/dashboard/${path}`,
    { ...body, publish: true },
    201,
  );
  return created[idField]!;
}

export const quiz = (admin: Caller, overrides: Record<string, unknown> = {}) =>
  createPublished(admin, "quizzes", quizBody(overrides), "quizId");
export const slide = (admin: Caller, overrides: Record<string, unknown> = {}) =>
  createPublished(admin, "slides", slideBody(overrides), "slideId");
