// Plausible issuing bodies and titles: real place names with real kinds of bureau.
import type { Rng } from './rng.ts';

/** [city, its districts or counties] */
const PLACES: [string, string[]][] = [
  ['淮安市', ['清江浦区', '淮阴区', '淮安区', '洪泽区', '涟水县', '盱眙县', '金湖县']],
  ['宿迁市', ['沭阳县', '泗阳县', '泗洪县', '宿城区', '宿豫区']],
  ['杭州市', ['拱墅区', '西湖区', '上城区', '滨江区', '萧山区', '余杭区', '桐庐县', '淳安县']],
  ['福州市', ['鼓楼区', '台江区', '仓山区', '马尾区', '长乐区', '闽侯县', '连江县', '永泰县']],
  ['南京市', ['玄武区', '秦淮区', '建邺区', '鼓楼区', '江宁区', '浦口区', '溧水区', '高淳区']],
  ['苏州市', ['姑苏区', '吴中区', '相城区', '吴江区', '常熟市', '昆山市', '太仓市']],
  ['成都市', ['锦江区', '青羊区', '金牛区', '武侯区', '成华区', '双流区', '郫都区', '简阳市']],
  ['洛阳市', ['老城区', '西工区', '涧西区', '偃师区', '孟津区', '新安县', '宜阳县', '嵩县']],
  ['赣州市', ['章贡区', '南康区', '赣县区', '信丰县', '大余县', '瑞金市', '于都县']],
  ['绵阳市', ['涪城区', '游仙区', '安州区', '江油市', '三台县', '梓潼县', '北川羌族自治县']],
];
const STANDALONE = ['平潭综合实验区', '上海市', '重庆市', '天津市', '北京市'];

const BUREAUS = [
  '人民政府', '人民政府办公室', '司法局', '财政局', '发展和改革局', '教育局', '民政局', '人力资源和社会保障局',
  '自然资源和规划局', '生态环境局', '住房和城乡建设局', '交通运输局', '水利局', '农业农村局', '商务局',
  '文化广电和旅游局', '卫生健康委员会', '应急管理局', '审计局', '市场监督管理局', '统计局', '医疗保障局',
  '城市管理局', '退役军人事务局', '数据局', '公安局', '税务局',
];

export interface Agency {
  /** the body as the title names it: 淮安市财政局, 沭阳县司法局 */
  name: string;
  /** how the body calls itself in the text: 我局, 本机关 */
  self: string;
  /** the place it serves: 全市, 全县, 全区 */
  scope: string;
}

export function agency(r: Rng): Agency {
  let place: string;
  if (r.chance(0.12)) place = r.pick(STANDALONE);
  else {
    const [city, subs] = r.pick(PLACES);
    place = r.chance(0.4) ? city : r.chance(0.5) && subs[0].endsWith('区') ? `${city}${r.pick(subs)}` : r.pick(subs);
  }
  const bureau = place === '平潭综合实验区' ? r.pick(['', '财政金融局', '公安局', '自然资源与规划局']) : r.pick(BUREAUS);
  const name = `${place}${bureau}`;
  const level = /区$/u.test(place) ? '区' : /县$/u.test(place) ? '县' : '市';
  const self = bureau === '' || bureau === '人民政府' ? `${level}政府` : bureau.endsWith('办公室') ? '本办' : bureau.endsWith('委员会') ? '我委' : '我局';
  return { name, self, scope: `全${level}` };
}

/** Title lines as reports print them; every form names the body and the year. */
export function titleLines(r: Rng, body: string, year: number): string[] {
  switch (r.int(0, 4)) {
    case 0: return [`${body}${year}年政府信息公开工作年度报告`];
    case 1: return [`${body}${year}年度政府信息公开工作年度报告`];
    case 2: return [`${body}`, `${year}年政府信息公开工作年度报告`];
    case 3: return [`${body}政府信息公开工作年度报告`, `（${year}年度）`];
    default: return [`${body}关于${year}年政府信息公开工作年度报告`];
  }
}
