import { createHash } from 'node:crypto';

const sampleDocument = Buffer.from('%PDF-1.4\n% sample\n%%EOF\n', 'utf8');

/**
 * What the district's IT and the operator agree on for the nested JSON office: the JSONata mapping
 * from the gateway's push to the office's `zaiavlenie` and from its `otgovor` back, its code tables,
 * and the samples the mapping is checked against when saved. Given to the gateway through the
 * operator API (PATCH …/profile) — no code in the services knows this office.
 */
export const nestedJsonOfficeMapping = {
  request: {
    default: `(
      $app := application;
      {
        "zaiavlenie": {
          "nomer": $app.applicationId,
          "vid": $lookup($codes.vidove, kind),
          "status": kind = "deadline_alert"
            ? $uppercase($app.deadline.state)
            : ($s := $lookup($codes.statusi, $app.status); $s ? $s : "DRUGO"),
          "usluga": {
            "kod": ($k := $lookup($codes.uslugi, $string($app.serviceNumber)); $k ? $k : "U-" & $string($app.serviceNumber))
          },
          "zaiavitel": { "ime": $app.applicant.name, "egn": $app.applicant.identifier },
          "dati": { "podadeno": $app.occurredAt ? $fromMillis($toMillis($app.occurredAt), "[D01].[M01].[Y0001]") },
          "vhNomer": $app.registrationNumber,
          "prichini": [$app.reasons.{ "kod": code, "tekst": message }],
          "obratenAdres": callbackUrl
        }
      }
    )`,
  },
  answer: `(
    $o := otgovor;
    {
      "decision": $lookup($codes.reshenia, $o.status),
      "registrationNumber": $o.vhNomer,
      "decidedAt": $o.data ? $fromMillis($toMillis($o.data, "[D01].[M01].[Y0001] [H01]:[m01]:[s01]")),
      "reasons": [$o.prichini.{ "code": kod, "message": tekst }],
      "backOfficeReference": $o.referentsia,
      "result": $o.dokument ? {
        "kind": "result",
        "fileName": $o.dokument.ime,
        "mediaType": $lookup($codes.tipove, $o.dokument.tip),
        "sha256": $o.dokument.kontrolnaSuma,
        "content": $o.dokument.sadarjanie
      }
    }
  )`,
  codeTables: {
    vidove: { application: 'NOVO', status_change: 'PROMIANA', deadline_alert: 'SROK' },
    statusi: {
      routed: 'NOVO',
      awaiting_payment: 'ZA_PLASHTANE',
      paid: 'PLATENO',
      withdrawn: 'OTTEGLENO',
      expired: 'IZTEKLO',
      delivered: 'VRACHENO',
    },
    uslugi: { '2016': 'UD-NASLEDNICI', '2052': 'UD-RAZHDANE', '2079': 'ADR-PA' },
    // GOTOVO: the work is done and the result is in the answer (processing started and finished).
    reshenia: {
      VPISANO: 'register',
      VARNATO: 'return_for_corrections',
      OTKAZ: 'refuse',
      ZAPOCHNATO: 'start_processing',
      GOTOVO: 'start_processing',
    },
    tipove: { PDF: 'application/pdf', XML: 'application/xml' },
  },
};

/** Answers the office really gives (and the request it expects), for the check on save. */
export const nestedJsonOfficeSamples = {
  answers: [
    {
      name: 'registered',
      kind: 'application' as const,
      body: {
        otgovor: { status: 'VPISANO', vhNomer: 'ЛЗ-000001/2026', data: '12.03.2026 10:15:00', referentsia: 'LZ-1' },
      },
    },
    {
      name: 'done, with the certificate',
      kind: 'status_change' as const,
      body: {
        otgovor: {
          status: 'GOTOVO',
          data: '20.03.2026 09:00:00',
          referentsia: 'LZ-1',
          dokument: {
            ime: 'udostoverenie.pdf',
            tip: 'PDF',
            sadarjanie: sampleDocument.toString('base64'),
            kontrolnaSuma: createHash('sha256').update(sampleDocument).digest('hex'),
          },
        },
      },
    },
    {
      name: 'taken note of',
      kind: 'status_change' as const,
      body: { otgovor: { status: 'PRIETO', referentsia: 'LZ-1' } },
    },
  ],
  requests: [
    {
      kind: 'application' as const,
      body: {
        zaiavlenie: {
          nomer: '00000000-0000-4000-8000-000000000001',
          vid: 'NOVO',
          status: 'NOVO',
          usluga: { kod: 'ADR-PA' },
          zaiavitel: { ime: 'Иван Петров', egn: '7501010010' },
          dati: { podadeno: '12.03.2026' },
          prichini: [],
        },
      },
    },
  ],
};
