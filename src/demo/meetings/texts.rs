//! What the demo meetings say: places, absence reasons, guests, free topics, decisions by issue
//! category, discussions and minutes. Chinese, like the rest of the demo data (records are kept
//! in the office's language whatever the reader's interface language is).

use rand::Rng;
use rand::rngs::StdRng;

pub(super) fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

pub(super) const COMMUNITY_ROOMS: &[&str] =
    &["社区二楼会议室", "社区党群服务中心会议室", "社区一楼议事厅"];
pub(super) const HUDDLE_ROOMS: &[&str] = &["社区网格工作站", "社区一楼服务大厅"];
pub(super) const STREET_ROOMS: &[&str] = &["街道三楼会议室", "街道综治中心会议室"];

/// Reasons for leave (`leave`) …
pub(super) const LEAVE: &[&str] = &["病假", "事假", "年休假", "陪护家人就医"];
/// … and for missing the meeting on duty (`absent`).
pub(super) const ABSENT: &[&str] = &[
    "外出办事",
    "参加区里培训",
    "入户走访",
    "处置突发情况",
    "参加街道会议",
];

/// Free topics of the weekly meetings and the months they come up in (empty: any month).
pub(super) const TOPICS: &[(&str, &str, &[u32])] = &[
    (
        "迎接文明城市复检动员部署",
        "各网格对照测评标准逐项自查，周五前完成背街小巷和楼院环境整治",
        &[],
    ),
    (
        "反诈宣传进社区活动安排",
        "联合辖区派出所开展反诈宣传，各网格入户发放资料并指导安装国家反诈中心APP",
        &[],
    ),
    (
        "垃圾分类督导工作推进",
        "各网格安排志愿者早晚桶边督导，每周通报分类准确率",
        &[],
    ),
    (
        "电动自行车充电安全专项整治",
        "逐楼排查飞线充电和楼道停放，发现一处清理一处，协调物业增设充电桩",
        &[],
    ),
    (
        "重点人员走访关爱安排",
        "网格员按名单每月至少走访一次，情况变化当日上报",
        &[],
    ),
    (
        "冬季供暖入户排查安排",
        "会同供热公司入户测温，对不热户建立台账，三个工作日内反馈处理结果",
        &[10, 11, 12, 1, 2],
    ),
    (
        "冬季防火安全专项检查",
        "重点检查沿街门店、群租房和老旧小区消防设施，隐患当场督促整改",
        &[11, 12, 1, 2],
    ),
    (
        "春节前走访慰问困难群众安排",
        "核实困难群众名单，节前完成慰问品发放并做好登记",
        &[1, 2],
    ),
    (
        "防汛物资检查",
        "清点沙袋、水泵和雨衣等防汛物资，补齐缺口，明确汛期值班人员",
        &[5, 6, 7, 8],
    ),
    (
        "汛期地下车库和低洼处排水检查",
        "会同物业检查排水设施，低洼地段提前备好挡水板",
        &[6, 7, 8],
    ),
    (
        "高温天气独居老人关爱走访",
        "网格员每日电话问候独居老人，高温日上门查看",
        &[6, 7, 8],
    ),
    (
        "老旧小区改造意见征集",
        "各网格组织楼院居民议事，汇总改造意见报街道",
        &[3, 4, 5, 9, 10],
    ),
    (
        "开学前校园周边环境整治",
        "联合城管中队清理校园周边占道经营，上下学时段安排志愿者值守",
        &[2, 8, 9],
    ),
    (
        "城乡居民医保集中缴费宣传",
        "网格员入户宣传缴费政策，对未缴费居民逐户提醒",
        &[9, 10, 11, 12],
    ),
];

/// Decisions by the category (a minor one where the major is too broad): (category,
/// solutions, outside parties that may be made responsible).
const DECISIONS: &[(&str, &[&str], &[&str])] = &[
    (
        "非法经营",
        &[
            "网格员会同城管中队上门劝导，限期整改，逾期未改移交执法部门",
            "联合市场监管所开展检查，责令停止无照经营",
        ],
        &["区市场监管局", "街道城管中队"],
    ),
    (
        "非法生产",
        &[
            "联合应急、环保部门现场核查，责令立即停产整改",
            "摸清生产规模和人员情况，报街道组织联合执法",
        ],
        &["区应急管理局", "区生态环境分局"],
    ),
    (
        "非法建设",
        &[
            "下达停工通知，报街道违建办依法处置",
            "会同城管中队现场核实，督促当事人限期自行拆除",
        ],
        &["街道违建办", "区城管局"],
    ),
    (
        "燃气安全隐患",
        &["通知燃气公司上门检修，督促用户更换老化软管并加装报警器"],
        &["燃气公司"],
    ),
    (
        "电动车违规充电",
        &["清理楼道违规停放和飞线充电，协调物业增设集中充电点"],
        &["物业公司"],
    ),
    (
        "安全生产",
        &[
            "督促经营单位落实主体责任，限期完成隐患整改并复查",
            "组织消防专项检查，立即清理通道杂物，网格员跟踪复查",
        ],
        &["区应急管理局", "辖区消防救援站"],
    ),
    (
        "信访稳定",
        &[
            "社区书记牵头约谈当事人，做好解释疏导，防止矛盾激化",
            "落实包案责任人，定期回访，稳控到位",
            "组织双方调解，达成一致意见后签订调解协议",
        ],
        &["辖区派出所", "街道司法所"],
    ),
    (
        "基层组织建设",
        &[
            "社区党委研究落实，纳入本月党建工作安排",
            "补齐网格力量，调整网格员分工",
        ],
        &[],
    ),
    (
        "公共设施维修",
        &["协调物业公司限期维修，网格员跟踪验收"],
        &["物业公司", "区住建局"],
    ),
    (
        "公共服务",
        &[
            "协调相关部门上门办理，及时回复群众",
            "纳入民生实事台账，跟踪办理进度并向群众反馈",
        ],
        &["区人社局", "区民政局"],
    ),
    (
        "违章建筑",
        &["下达限期拆除通知，报街道违建办依法处置"],
        &["街道违建办", "区城管局"],
    ),
    (
        "占道经营",
        &["城管中队会同网格员劝离占道摊点，引导入市经营，每日早晚巡查防反弹"],
        &["街道城管中队"],
    ),
    (
        "户外广告",
        &["通知商户限期规范设置，逾期由城管中队依法拆除"],
        &["街道城管中队"],
    ),
    (
        "门头牌匾",
        &["通知商户限期规范设置，逾期由城管中队依法拆除"],
        &["街道城管中队"],
    ),
    (
        "窨井病害",
        &["设置警示标志，报区市政部门限期维修，网格员跟踪验收"],
        &["区市政工程管理处"],
    ),
    (
        "道路路面",
        &["设置警示标志，报区市政部门限期维修，网格员跟踪验收"],
        &["区市政工程管理处"],
    ),
    (
        "停车秩序",
        &["协调物业和交警中队规范停车秩序，施划停车泊位"],
        &["交警中队", "物业公司"],
    ),
    (
        "城市管理",
        &[
            "组织人员集中清理，建立长效保洁机制",
            "报区城管局协调处置，网格员每日巡查跟进",
        ],
        &["区城管局", "街道环卫所", "物业公司"],
    ),
];

const GENERAL: &[&str] = &["明确责任人，限期办结并回复群众"];

/// A solution for an issue of category `minor` under `major`, and the outside parties that may
/// take it on.
pub(super) fn decision(
    rng: &mut StdRng,
    minor: &str,
    major: &str,
) -> (&'static str, &'static [&'static str]) {
    let (solutions, parties) = [minor, major]
        .into_iter()
        .find_map(|c| DECISIONS.iter().find(|d| d.0 == c))
        .map(|d| (d.1, d.2))
        .unwrap_or((GENERAL, &[]));
    (pick(rng, solutions), parties)
}

pub(super) const DISCUSSIONS: &[&str] = &[
    "网格员汇报了现场情况，与会人员讨论后议定。",
    "责任网格说明了办理进展和难点，会议研究后明确处理意见。",
    "与会人员查看了现场照片，对处置方式进行了讨论。",
    "该问题群众反映较多，会议要求加快办理。",
    "",
];

/// The minutes of a weekly meeting: what was on the agenda, and two of the usual requirements.
pub(super) fn weekly_minutes(rng: &mut StdRng, counts: [usize; 4]) -> String {
    const REQUIREMENTS: &[&str] = &[
        "会议要求各网格加强日常巡查，发现问题及时上报、按时办结。",
        "对超期未办结问题逐件分析原因，明确专人跟进，下周例会通报结果。",
        "会议强调要做好重点人群走访关爱，确保辖区安全稳定。",
        "对近期群众反映集中的问题要举一反三，建立长效机制。",
        "各网格员要规范填写巡查日志，做到问题有登记、处置有结果、群众有回音。",
    ];
    let [items, new, carried, overdue] = counts;
    let first = rng.random_range(0..REQUIREMENTS.len());
    let second = (first + 1 + rng.random_range(0..REQUIREMENTS.len() - 1)) % REQUIREMENTS.len();
    format!(
        "会议通报了上周网格巡查和问题办理情况，本次研究议题{items}项，其中新增问题{new}件、\
         遗留问题{carried}件、超期问题{overdue}件，逐项明确了处理意见、责任人和办结时限。{}{}",
        REQUIREMENTS[first], REQUIREMENTS[second]
    )
}

pub(super) fn supervision_minutes(rng: &mut StdRng, items: usize) -> String {
    const CLOSINGS: &[&str] = &[
        "逾期仍未办结的，在全街道通报并纳入月度考核。",
        "各责任单位于下周五前书面报告整改情况。",
        "督查组将对整改情况进行实地复核。",
    ];
    format!(
        "会议对辖区超期、返工问题进行督查，逐件听取责任社区和网格汇报，本次督办问题{items}件，\
         已明确整改措施和时限。{}",
        pick(rng, CLOSINGS)
    )
}

pub(super) fn huddle_minutes(items: usize) -> String {
    if items == 0 {
        "今日无需研究的问题，各网格按计划开展巡查走访。".into()
    } else {
        format!("碰头今日问题{items}件，已逐件明确处置人和时限。")
    }
}

/// What a free topic was decided (the topic's own line of [`TOPICS`]).
pub(super) fn topic_solution(title: &str) -> &'static str {
    TOPICS
        .iter()
        .find(|t| t.0 == title)
        .map_or(GENERAL[0], |t| t.1)
}

const PROPERTY: &[&str] = &["正弘物业", "建业物业", "鑫苑物业", "康桥物业", "绿都物业"];

/// An outside guest's unit and what they are there as: the local police station's officer, the
/// street's city-management squad, a compound's property manager.
pub(super) fn guest_unit(rng: &mut StdRng, area: &str) -> String {
    match rng.random_range(0..3) {
        0 => format!("{area}派出所民警"),
        1 => format!("{area}城管中队队员"),
        _ => format!("{}经理", pick(rng, PROPERTY)),
    }
}
