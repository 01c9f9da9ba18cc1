//! The patrol generator's word lists: the roads, places, notes, site problems and what visits
//! learn, and the random pick from them.

use rand::Rng;
use rand::rngs::StdRng;

/// Zhengzhou roads the grids' compounds and routes lie on.
pub(in crate::demo) const ROADS: &[&str] = &[
    "工人路",
    "桐柏路",
    "伊河路",
    "建设西路",
    "煤仓街",
    "友爱路",
    "西里路",
    "嵩山路",
    "颍河路",
    "棉纺路",
    "华山路",
    "秦岭路",
    "汝河路",
    "伏牛路",
    "陇海路",
    "中原路",
    "淮河路",
    "百花路",
    "电缆路",
    "须水路",
    "五一路",
    "市场街",
    "大学路",
    "航海路",
];
/// Places on a route besides compounds and key sites.
pub(super) const PLACES: &[&str] = &[
    "小区北门",
    "农贸市场",
    "公交站台",
    "幼儿园门口",
    "沿街商铺",
    "健身广场",
    "垃圾中转站",
    "地下车库入口",
    "便民服务点",
    "背街小巷",
];
pub(super) const NOTES: &[&str] = &[
    "",
    "",
    "辖区秩序良好",
    "重点部位检查完毕，未见异常",
    "走访中宣传防范电信诈骗知识",
    "提醒沿街商户规范经营",
    "清理楼道小广告若干处",
    "宣传燃气安全使用常识",
];
pub(super) const SITE_PROBLEMS: &[&str] = &[
    "消防通道有杂物堆放",
    "围挡局部破损",
    "灭火器压力不足",
    "门口占道经营",
    "窨井盖松动",
    "安全出口指示灯损坏",
    "现场有积水未清理",
    "渣土车未覆盖篷布",
];
pub(super) const LEARNED: &[&str] = &[
    "家庭和睦，无矛盾纠纷",
    "独居老人，身体状况良好，生活能自理",
    "租户新入住，已登记基本信息",
    "反映楼道灯损坏",
    "子女在外地工作，老人需定期关照",
    "低保户，生活基本稳定",
    "反映小区停车难",
    "残疾人家庭，补贴已落实",
    "新生儿家庭，已告知疫苗接种安排",
    "与楼上住户因漏水有分歧",
    "对物业服务有意见",
    "已宣传反诈知识并发放资料",
    "退役军人家庭，已登记信息",
    "家中无人，已留联系卡",
];
pub(super) const NEEDS: &[&str] = &[
    "",
    "",
    "",
    "希望协调维修楼道灯",
    "申请临时救助",
    "咨询医保缴费",
    "咨询居住证办理",
    "希望楼道加装扶手",
    "需上门代办老年人优待证",
    "希望调解邻里漏水纠纷",
    "咨询就业岗位信息",
];

pub(super) fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}
