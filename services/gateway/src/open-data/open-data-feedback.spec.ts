import { openDataFeedback, openDataFeedbackCsv } from './open-data-feedback';

const hard = { finding_the_service: 0, the_form: 1, paying: 2, waiting: 0, the_result: 0, other: 0 };
const month = (answers: number, ratings: number[], ratingSum: number) => ({
  month: '2026-12',
  lifeEvent: null,
  serviceNumber: 2052,
  serviceName: 'Удостоверение, "дубликат"',
  districtCode: 'serdika',
  answers,
  ratingSum,
  ratings,
  hard,
});

describe('open-data feedback', () => {
  it('withholds every figure of a row under five answers and publishes the rest with the mean', () => {
    const published = openDataFeedback({
      generatedAt: '2026-12-07T10:00:00.000Z',
      months: [month(4, [0, 0, 1, 2, 1], 16), month(5, [0, 1, 0, 2, 2], 20)],
    });
    expect(published.suppressionThreshold).toBe(5);
    expect(published.rows[0]).toMatchObject({ answers: null, meanRating: null, ratings: null, hard: null });
    expect(published.rows[1]).toMatchObject({ answers: 5, meanRating: 4, ratings: [0, 1, 0, 2, 2], hard });
  });

  it('writes the CSV with empty suppressed cells and quoted names', () => {
    const csv = openDataFeedbackCsv(
      openDataFeedback({ generatedAt: '2026-12-07T10:00:00.000Z', months: [month(1, [1, 0, 0, 0, 0], 1)] }),
    );
    const [, row] = csv.trimEnd().split('\r\n');
    expect(row).toBe('2026-12,2052,"Удостоверение, ""дубликат""",serdika,,,,,,,,,,,,,,');
  });
});
