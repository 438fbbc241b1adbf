// Feedback: what applicants said after their result was delivered, per life event, service and
// district, beside the median time from receipt to delivery of the same results; the comments
// (which may hold personal data) only for the operator role.
import { html, nothing, render } from '../vendor/lit-html/lit-html.js';
import { api, canOperate, problemText } from '../core/api.js';
import { addStrings, duration, number, t, tg, when } from '../core/i18n.js';
import { currentView, registerView } from '../core/router.js';

addStrings({
  bg: {
    feedback: 'Обратна връзка',
    feedbackHint: 'Оценки на заявителите след доставен резултат; до тях — медианното време от подаване до доставка.',
    lifeEvent: 'Житейско събитие',
    singleApplication: 'единично заявление',
    feedbackService: 'Услуга',
    feedbackDistrict: 'Район',
    deliveredCount: 'Доставени',
    medianDelivery: 'Медиана до доставка',
    answersCount: 'Отговори',
    meanRating: 'Средна оценка',
    ratingsSpread: 'Оценки 1–5',
    hardTitle: 'Трудно',
    hardParts: {
      finding_the_service: 'намиране',
      the_form: 'формуляр',
      paying: 'плащане',
      waiting: 'чакане',
      the_result: 'резултат',
      other: 'друго',
    },
    noFeedback: 'Все още няма доставени резултати с покана за оценка.',
    comments: 'Коментари (може да съдържат лични данни; прегледът се записва)',
    commentText: 'Коментар',
    answeredAt: 'Кога',
    noComments: 'Няма коментари.',
  },
  en: {
    feedback: 'Feedback',
    feedbackHint: 'Applicants’ ratings after a delivered result, beside the median time from receipt to delivery.',
    lifeEvent: 'Life event',
    singleApplication: 'single application',
    feedbackService: 'Service',
    feedbackDistrict: 'District',
    deliveredCount: 'Delivered',
    medianDelivery: 'Median to delivery',
    answersCount: 'Answers',
    meanRating: 'Mean rating',
    ratingsSpread: 'Ratings 1–5',
    hardTitle: 'Hard',
    hardParts: {
      finding_the_service: 'finding',
      the_form: 'form',
      paying: 'paying',
      waiting: 'waiting',
      the_result: 'result',
      other: 'other',
    },
    noFeedback: 'No delivered result has invited feedback yet.',
    comments: 'Comments (may hold personal data; each read is logged)',
    commentText: 'Comment',
    answeredAt: 'When',
    noComments: 'No comments.',
  },
});

let section;
const state = { groups: [], comments: [], error: '' };

const hardText = (hard) =>
  Object.entries(hard)
    .filter(([, count]) => count > 0)
    .map(([part, count]) => `${tg('hardParts', part)} ${count}`)
    .join(', ') || '—';

function draw() {
  render(
    html`<h2 id="feedback-title" tabindex="-1">${t('feedback')}</h2>
      <p>${t('feedbackHint')}</p>
      ${state.error ? html`<p role="alert">${state.error}</p>` : nothing}
      <table id="feedback-groups">
        <thead>
          <tr>
            <th scope="col">${t('lifeEvent')}</th>
            <th scope="col">${t('feedbackService')}</th>
            <th scope="col">${t('feedbackDistrict')}</th>
            <th scope="col">${t('deliveredCount')}</th>
            <th scope="col">${t('medianDelivery')}</th>
            <th scope="col">${t('answersCount')}</th>
            <th scope="col">${t('meanRating')}</th>
            <th scope="col">${t('ratingsSpread')}</th>
            <th scope="col">${t('hardTitle')}</th>
          </tr>
        </thead>
        <tbody>
          ${
            state.groups.length
              ? state.groups.map(
                  (group) =>
                    html`<tr>
                      <td>${group.lifeEvent ?? t('singleApplication')}</td>
                      <td>${group.serviceNumber} ${group.serviceName}</td>
                      <td>${group.districtCode}</td>
                      <td>${number(group.delivered)}</td>
                      <td>${duration(group.medianDeliverySeconds)}</td>
                      <td>${number(group.answers)}</td>
                      <td>${number(group.meanRating)}</td>
                      <td>${group.ratings.join(' / ')}</td>
                      <td>${hardText(group.hard)}</td>
                    </tr>`,
                )
              : html`<tr>
                  <td colspan="9">${t('noFeedback')}</td>
                </tr>`
          }
        </tbody>
      </table>
      ${
        canOperate()
          ? html`<h3>${t('comments')}</h3>
              <table id="feedback-comments">
                <thead>
                  <tr>
                    <th scope="col">${t('answeredAt')}</th>
                    <th scope="col">${t('feedbackService')}</th>
                    <th scope="col">${t('feedbackDistrict')}</th>
                    <th scope="col">${t('meanRating')}</th>
                    <th scope="col">${t('commentText')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${
                    state.comments.length
                      ? state.comments.map(
                          (comment) =>
                            html`<tr>
                              <td>${when(comment.answeredAt)}</td>
                              <td>${comment.serviceNumber}</td>
                              <td>${comment.districtCode}</td>
                              <td>${comment.rating}</td>
                              <td>${comment.comment}</td>
                            </tr>`,
                        )
                      : html`<tr>
                          <td colspan="5">${t('noComments')}</td>
                        </tr>`
                  }
                </tbody>
              </table>`
          : nothing
      }`,
    section,
  );
}

async function load() {
  const summary = await api('GET', '/operator/v1/feedback');
  state.error = summary.status === 200 ? '' : problemText(summary, t);
  state.groups = summary.status === 200 ? summary.data.groups : [];
  if (canOperate()) {
    const comments = await api('GET', '/operator/v1/feedback/comments?limit=50');
    if (comments.status === 200) state.comments = comments.data.items;
    else state.error = problemText(comments, t);
  }
  draw();
}

registerView({
  name: 'feedback',
  heading: 'feedback-title',
  nav: true,
  mount(s) {
    section = s;
    section.setAttribute('aria-labelledby', 'feedback-title');
    draw();
  },
  async show() {
    await load();
  },
  translate() {
    if (currentView() === this) draw();
  },
});
