/** Counts read from sentences: right path and value, and nothing read where the count is not a table's. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paragraph, type DocumentModel } from '../src/extract/model.ts';
import { readClaims } from '../src/normalize/narrative.ts';

function claims(text: string | string[], template: '2021' | '2019' = '2021'): string[] {
  const lines = Array.isArray(text) ? text : [text];
  const model: DocumentModel = { format: 'html', metadata: {}, notes: [], blocks: lines.map((l) => paragraph(l)) };
  return readClaims(model, template).map((c) => `${c.path}=${c.value}${c.parts ? ` [${c.parts.join('+')}]` : ''}`);
}

test('requests: received, answered, carried over and forward, as real reports word them', () => {
  assert.deepEqual(claims('2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复），均在法定期限内予以答复。'), [
    'requests.received.total=3119',
    'requests.carriedOver.total=34',
    'requests.carriedForward.total=103',
    'requests.resultsTotal.total=3050',
  ]);
  assert.deepEqual(claims('2022年，全区收到政府信息公开申请75件，涉及自然人72件、商业企业3件，均在法定期限内予以答复。'), [
    'requests.received.total=75',
    'requests.received.naturalPerson=72',
    'requests.received.commercial=3',
  ]);
  assert.deepEqual(claims('本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。'), [
    'requests.received.total=70',
    'requests.carriedForward.total=1',
    'requests.resultsTotal.total=69',
  ]);
  assert.deepEqual(claims('2025年，全区共收到政府信息公开申请154件，共办结148件，结转至2026年6件。'), [
    'requests.received.total=154',
    'requests.carriedForward.total=6',
    'requests.resultsTotal.total=148',
  ]);
});

test('result groups, and 予以公开 that includes partial grants', () => {
  assert.deepEqual(claims('予以公开及部分公开258件，占33.9%；不予公开35件，占4.34%；因本机关不掌握等原因无法提供265件；不予处理158件；其他处理0件。'), [
    'requests.disclosed.total=258',
    'requests.withheld.total=35',
    'requests.unavailable.total=265',
    'requests.rejected.total=158',
    'requests.otherHandling.total=0',
  ]);
  assert.deepEqual(claims('其中予以公开10件（含部分公开2件），不予公开1件。'), ['requests.disclosed.total=10', 'requests.withheld.total=1']);
  assert.deepEqual(claims('所有办结的信息公开申请中同意公开答复9件。'), ['requests.granted.total=9']);
});

test('kinds of answer are not the total answered', () => {
  assert.deepEqual(claims('2024年我局共收到政府网站上政府信息公开申请件2件，办结依申请2件，其中公开答复1件，无法提供1件。'), [
    'requests.received.total=2',
    'requests.resultsTotal.total=2',
    'requests.unavailable.total=1',
  ]);
  assert.deepEqual(claims('共收到政府信息公开申请20件，已全部按期答复，其中延期答复3件。'), ['requests.received.total=20']);
});

test('false friends are not read: other services, other years, wider scopes, other review cases', () => {
  assert.deepEqual(claims('今年我局共受理审批事项117件，办结171件，办结率100%。'), []);
  assert.deepEqual(claims('对网民的咨询投诉件及时处理并反馈，截至目前共收到15564件咨询投诉件，已办结15042件。'), []);
  assert.deepEqual(claims('全年共受理网络问政182件。'), []);
  assert.deepEqual(claims('全年政府信息公开申请较去年增加5件。'), []);
  assert.deepEqual(claims('全市各级行政机关共受理政府信息公开申请2568件。'), []);
  assert.deepEqual(claims('全年共收到行政复议申请120件，依法审结115件。'), []);
  assert.deepEqual(claims('本机关作为复议机关，收到政府信息公开类行政复议申请30件。'), []);
});

test('表四 counts with the results listed after them', () => {
  assert.deepEqual(claims(['政府信息公开行政复议 351 件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未', '审结 37 件；政府信息公开行政诉讼 46 件，其中结果维持 25 件。']), [
    'reviewLitigation.review.total=351',
    'reviewLitigation.review.upheld=72',
    'reviewLitigation.review.corrected=64',
    'reviewLitigation.review.other=178',
    'reviewLitigation.review.pending=37',
    'reviewLitigation.suit.total=46',
    'reviewLitigation.suit.upheld=25',
  ]);
  // The clause after ； is still about disclosure: the sentence says so.
  assert.deepEqual(claims('2024年，我局因政府信息公开工作被申请行政复议9件，其中尚未审结4件；被提起行政诉讼6件，其中结果纠正3件。'), [
    'reviewLitigation.review.total=9',
    'reviewLitigation.review.pending=4',
    'reviewLitigation.suit.total=6',
    'reviewLitigation.suit.corrected=3',
  ]);
  assert.deepEqual(claims('全年因政府信息公开被提起行政复议和行政诉讼案件共4起，其中行政复议2起，行政诉讼2起。'), [
    'reviewLitigation.all.total=4',
    'reviewLitigation.review.total=2',
    'reviewLitigation.suit.total=2',
  ]);
});

test('表二 counts: issued, in force, and the words that make them another column', () => {
  assert.deepEqual(claims('设立规范性文件库，集中公开现行有效行政规范性文件698件，动态更新本年度制发的规范性文件88件。'), [
    'active.normativeDocs.inForce=698',
    'active.normativeDocs.issued=88',
  ]);
  assert.deepEqual(claims('主动公开规章13件，行政规范性文件60件，市政府其他文件162件。', '2019'), ['active.normativeDocs.published=60', 'active.rules.published=13']);
  assert.deepEqual(claims('集中公开现行有效规章156件。'), []);
  assert.deepEqual(claims('发布政府规章和行政规范性文件18件。'), []);
  assert.deepEqual(claims('废止、修订行政规范性文件10件。'), []);
  assert.deepEqual(claims('全年新增公开市政府规章1件、市政府及市政府办政策性文件11件。'), ['active.rules.issued=1']);
});

test('主动公开 totals and their parts, only when the list is a complete breakdown', () => {
  assert.deepEqual(claims('依法公开各类政府信息244条，期中，机构设置3条，政策文件5条，规划计划8条，资金信息3条，人事信息1条，行政执法公开10条，重点领域信息公开11条，公告203条,切实保障了知情权。'), [
    'narrative.activeItems.total=244 [3+5+8+3+1+10+11+203]',
  ]);
  assert.deepEqual(claims(['依法公开各类政府信息244条，其中，机构设置3条，政策文件5条，', '规划计划236条。']), ['narrative.activeItems.total=244 [3+5+236]']);
  assert.deepEqual(claims('主动公开政府信息20条，其中规划计划5条、财政信息3条、人事信息2条等。'), ['narrative.activeItems.total=20']);
  assert.deepEqual(claims('主动公开政府信息1200条，其中政府网站800条，政务新媒体600条。'), ['narrative.activeItems.total=1200']);
  assert.deepEqual(claims('主动公开政府信息300条，其中规划计划236条；另通过微信公众号发布信息120条。'), ['narrative.activeItems.total=300']);
  assert.deepEqual(claims('主动公开各类政府信息5500余条。'), ['narrative.activeItems.total=5500']);
});
