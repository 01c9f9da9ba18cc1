//! Names for demo data. Streets and communities come from the seed report; people's names are
//! generated (fictional), never those of the officials the report names.

use rand::Rng;
use rand::rngs::StdRng;

/// 林山寨街道: 15 communities/villages (the report names 郑州日报社区, 工人路社区, 林山寨村).
pub const LINSHANZHAI: [&str; 15] = [
    "郑州日报社区",
    "工人路社区",
    "林山寨村",
    "百花社区",
    "伊河路社区",
    "桐柏路社区",
    "建设西路社区",
    "煤仓街社区",
    "友爱路社区",
    "西里路社区",
    "五一社区",
    "嵩山路社区",
    "颍河路北社区",
    "棉麻社区",
    "市场街社区",
];

/// 绿东村街道: 13 communities (the report names 电缆一社区, 陇西社区, 四季园社区, 伏牛南社区).
pub const LVDONGCUN: [&str; 13] = [
    "电缆一社区",
    "陇西社区",
    "四季园社区",
    "伏牛南社区",
    "电缆二社区",
    "华山路社区",
    "颍河路社区",
    "秦岭路社区",
    "汝河路社区",
    "景桥社区",
    "伏牛北社区",
    "须水河社区",
    "绿东村社区",
];

/// Grids per community so that the totals match the seed: 51 for 林山寨, 46 for 绿东村.
pub fn grids_per_community(communities: usize, total: usize) -> Vec<usize> {
    (0..communities)
        .map(|i| total / communities + usize::from(i < total % communities))
        .collect()
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀", "霞", "平", "刚", "桂", "英", "华", "建", "国", "红", "玉", "兰", "海", "亮", "鹏",
    "辉", "燕", "倩", "晨", "欣", "瑞", "宁", "博",
];

pub fn person_name(rng: &mut StdRng) -> String {
    let mut n = SURNAMES[rng.random_range(0..SURNAMES.len())].to_string();
    for _ in 0..rng.random_range(1..=2) {
        n.push_str(GIVEN[rng.random_range(0..GIVEN.len())]);
    }
    n
}

pub fn mobile(rng: &mut StdRng) -> String {
    let prefixes = [
        "138", "139", "137", "150", "151", "158", "186", "187", "135", "182",
    ];
    format!(
        "{}{:08}",
        prefixes[rng.random_range(0..prefixes.len())],
        rng.random_range(0..100_000_000u32)
    )
}

pub const PARTNER_UNITS: &[&str] = &[
    "中原区城市管理执法局",
    "林山寨派出所",
    "中原区市场监督管理局",
    "中原区住房保障和房地产管理局",
    "国网郑州供电公司",
    "郑州市自来水公司",
    "中原区消防救援大队",
    "中原区人社局",
    "郑州有害生物防制协会",
];

pub const SERVICE_ITEMS: &[&str] = &[
    "政策咨询",
    "矛盾纠纷调解",
    "低保申请代办",
    "就业登记",
    "居住证办理指引",
    "计生服务",
    "老年人优待证代办",
    "残疾人服务",
    "安全隐患报告",
    "环境卫生投诉",
    "党员组织关系转接",
    "困难群众帮扶",
];

pub const DUTY_HOURS: &[&str] = &[
    "周一至周五 8:30-12:00, 14:30-17:30",
    "周一至周日 7:00-22:00 (市容巡查)",
    "工作日 9:00-17:00, 节假日电话值守",
];

/// Key sites: (kind, name pattern) — `{}` is replaced by the grid's place name.
pub const SITES: &[(&str, &str, i32)] = &[
    ("school", "{}小学", 1),
    ("market", "{}农贸市场", 1),
    ("construction", "{}建筑工地", 1),
    ("old_building", "{}三类楼院", 3),
    ("hospital", "{}社区医疗服务站", 7),
    ("enterprise", "{}加油站", 1),
    ("public_venue", "{}文化活动中心", 7),
    ("hazard", "{}窨井集中区", 3),
];
