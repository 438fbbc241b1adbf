import type { Feedback } from '@umg/contracts';

type FeedbackInvitation = Feedback.components['schemas']['FeedbackInvitation'];
type HardPart = Feedback.components['schemas']['FeedbackHardPart'];

/** The stages of the Unified Model an applicant may say were hard, as the form names them. */
export const hardPartLabels: Record<HardPart, { bg: string; en: string }> = {
  finding_the_service: { bg: 'Намирането на услугата', en: 'Finding the service' },
  the_form: { bg: 'Попълването на заявлението', en: 'The form' },
  paying: { bg: 'Плащането', en: 'Paying' },
  waiting: { bg: 'Чакането', en: 'Waiting' },
  the_result: { bg: 'Резултатът', en: 'The result' },
  other: { bg: 'Друго', en: 'Other' },
};

const ratingLabels = ['1 — много лошо', '2 — лошо', '3 — средно', '4 — добре', '5 — много добре'];

/** The whole form on one small page: no script, no sign-in; every input labelled; Bulgarian first. */
export function feedbackFormPage(invitation: FeedbackInvitation, action: string): string {
  if (invitation.answered) {
    return page(
      'Благодарим Ви',
      `<p>Вече сте оценили тази услуга. Благодарим Ви!</p><p lang="en">You have already rated this service. Thank you!</p>`,
    );
  }
  const ratings = ratingLabels
    .map(
      (label, index) =>
        `<div><input type="radio" id="rating-${index + 1}" name="rating" value="${index + 1}" required><label for="rating-${index + 1}">${label}</label></div>`,
    )
    .join('\n');
  const parts = (Object.keys(hardPartLabels) as HardPart[])
    .map(
      (part) =>
        `<div><input type="checkbox" id="hard-${part}" name="hard" value="${part}"><label for="hard-${part}">${escapeHtml(hardPartLabels[part].bg)}</label></div>`,
    )
    .join('\n');
  return page(
    'Оценете услугата',
    `<p>Услуга: <strong>${escapeHtml(invitation.serviceName)}</strong> (№ ${invitation.serviceNumber})</p>
<p lang="en">Rate the service: one step, no sign-in.</p>
<form method="post" action="${escapeHtml(action)}">
<fieldset><legend>Как оценявате услугата като цяло?</legend>
${ratings}
</fieldset>
<fieldset><legend>Какво беше трудно? (може нищо или няколко)</legend>
${parts}
</fieldset>
<div><label for="comment">Коментар (по желание, до 500 знака; не се публикува)</label><br>
<textarea id="comment" name="comment" maxlength="500" rows="4" cols="50"></textarea></div>
<p>Не пишете лични данни (ЕГН, адрес, телефон).</p>
<button type="submit">Изпрати</button>
</form>`,
  );
}

export function feedbackThanksPage(): string {
  return page(
    'Благодарим Ви',
    `<p role="status">Отговорът Ви е записан. Благодарим Ви!</p><p lang="en">Your answer is recorded. Thank you!</p>`,
  );
}

/** A refusal as a browser sees it: what happened in words, and the stable code for the help desk. */
export function feedbackProblemPage(status: number, code: string): string {
  const text: Record<string, string> = {
    feedback_invitation_not_found: 'Тази връзка не е валидна.',
    feedback_invitation_expired: 'Срокът за отговор по тази връзка изтече.',
    feedback_already_given: 'Вече сте оценили тази услуга. Благодарим Ви!',
    validation_failed: 'Изберете оценка от 1 до 5; коментарът е до 500 знака.',
    too_many_requests: 'Твърде много опити. Опитайте отново след малко.',
  };
  return page(
    status === 409 ? 'Благодарим Ви' : 'Не успяхме',
    `<p role="alert">${escapeHtml(text[code] ?? 'Възникна проблем. Опитайте отново по-късно.')}</p><p>Код: <code>${escapeHtml(code)}</code></p>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="bg">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — Столична община</title></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
