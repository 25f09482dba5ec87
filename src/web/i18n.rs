//! Every interface string in zh-CN and English, in one place; templates call `t("key")`.

use crate::domain::Lang;

/// (key, zh-CN, English)
const STRINGS: &[(&str, &str, &str)] = &[
    ("app", "Yardstick 满意度测评", "Yardstick"),
    ("nav.design", "问卷设计", "Design"),
    ("nav.reports", "报告", "Reports"),
    ("nav.audit", "审计日志", "Audit log"),
    ("nav.login", "登录", "Sign in"),
    ("nav.logout", "退出", "Sign out"),
    ("login.title", "登录", "Sign in"),
    ("login.email", "电子邮箱", "Email"),
    ("login.password", "密码", "Password"),
    ("login.submit", "登录", "Sign in"),
    (
        "login.refused",
        "登录失败：邮箱或密码不正确，或失败次数过多。若是后者，请等几分钟再试。",
        "Sign-in failed: the email or password is wrong, or there were too many failed attempts. If so, wait a few minutes and try again.",
    ),
    (
        "login.expired",
        "您的登录已过期，请重新登录。",
        "Your session has ended; please sign in again.",
    ),
    (
        "design.title",
        "问卷与指标体系",
        "Questionnaires and indicator systems",
    ),
    (
        "design.new",
        "从模板新建问卷",
        "New questionnaire from a template",
    ),
    ("design.template", "模板", "Template"),
    (
        "design.slug",
        "链接名（仅小写字母、数字和连字符）",
        "Link name (lower-case letters, digits and hyphens)",
    ),
    ("design.title_zh", "中文标题", "Chinese title"),
    ("design.title_en", "英文标题", "English title"),
    ("design.own_brand", "本品牌名称", "Our brand"),
    (
        "design.competitors",
        "竞争品牌（每行一个）",
        "Competitor brands (one per line)",
    ),
    (
        "design.screening",
        "由受访者在甄别题中选择品牌",
        "Respondents choose the brand in a screening question",
    ),
    ("design.create", "创建草稿", "Create draft"),
    ("design.none", "还没有问卷。", "No questionnaires yet."),
    ("design.versions", "版本", "Versions"),
    ("design.version", "版本", "Version"),
    ("design.draft", "草稿", "Draft"),
    ("design.published", "已发布", "Published"),
    ("design.publish", "发布此版本", "Publish this version"),
    ("design.public_link", "公开链接", "Public link"),
    (
        "design.constructs",
        "隐变量与测评指标",
        "Constructs and indicators",
    ),
    ("design.paths", "路径", "Paths"),
    (
        "design.problems",
        "发布前需要解决的问题",
        "Problems to solve before publishing",
    ),
    ("design.warnings", "提示", "Warnings"),
    ("design.responses", "已完成答卷", "Completed responses"),
    ("design.report", "查看报告", "View report"),
    ("design.brands", "品牌", "Brands"),
    ("design.own", "本品牌", "our brand"),
    ("design.scale", "量表", "Scale"),
    ("design.dont_know", "可选“不知道”", "“Don't know” offered"),
    (
        "survey.brand_question",
        "在过去三个月里，您购买最多的是以下哪个品牌？",
        "Which of these brands have you bought most in the last three months?",
    ),
    (
        "survey.dont_know",
        "不知道 / 不适用",
        "Don't know / not applicable",
    ),
    (
        "survey.comment",
        "您最希望我们先改进什么？（选填）",
        "What should we improve first? (optional)",
    ),
    ("survey.submit", "提交问卷", "Submit"),
    (
        "survey.problems",
        "请检查以下问题：",
        "Please check these answers:",
    ),
    (
        "survey.thanks",
        "感谢您的参与！",
        "Thank you for your answers!",
    ),
    (
        "survey.thanks_text",
        "您的回答已保存。",
        "Your answers have been saved.",
    ),
    (
        "survey.closed",
        "此问卷目前不接受答卷。",
        "This questionnaire is not accepting answers at the moment.",
    ),
    (
        "survey.not_found",
        "找不到此问卷，请检查链接。",
        "This questionnaire does not exist; please check the link.",
    ),
    (
        "survey.choose_brand",
        "请选择一个品牌",
        "Please choose a brand",
    ),
    ("survey.yes", "是", "Yes"),
    ("survey.no", "否", "No"),
    ("survey.start", "开始答题", "Start"),
    (
        "survey.continue",
        "从上次离开的地方继续",
        "Continue where you left off",
    ),
    (
        "survey.about_brand",
        "本问卷关于：",
        "This survey is about:",
    ),
    (
        "survey.purpose",
        "我们想了解您对所购买产品和服务的满意程度。您的回答将帮助我们改进。",
        "We would like to know how satisfied you are with what you bought. Your answers help us improve.",
    ),
    (
        "survey.time",
        "大约需要 {minutes} 分钟，共 {items} 道题。",
        "It takes about {minutes} minutes: {items} questions.",
    ),
    (
        "survey.saved_note",
        "每一页提交后即已保存，您可以随时离开，稍后继续。",
        "Each page is saved when you go on, so you can leave and continue later.",
    ),
    (
        "survey.privacy",
        "您的回答仅用于统计分析，不会与您的姓名一起公开，也不会用于推销。",
        "Your answers are used for statistics only: never published with your name, never used for sales calls.",
    ),
    (
        "survey.progress",
        "第 {n} 页，共 {total} 页",
        "Page {n} of {total}",
    ),
    ("survey.next", "下一页", "Next"),
    ("survey.back", "上一页", "Back"),
    (
        "survey.problems_title",
        "请检查答案",
        "Please check your answers",
    ),
    (
        "survey.resume_link",
        "如需稍后在其他设备上继续，请保存此链接：",
        "To continue later on another device, keep this link:",
    ),
    ("survey.about_heading", "关于您", "About you"),
    (
        "survey.about_note",
        "以下问题均为选填，用于按人群分析结果。",
        "These questions are optional; they let us compare groups of customers.",
    ),
    ("survey.no_answer", "不愿回答", "Prefer not to say"),
    (
        "survey.state.not-found",
        "找不到此问卷",
        "Questionnaire not found",
    ),
    (
        "survey.state.not-found.text",
        "找不到此问卷或邀请，请检查链接是否完整。",
        "This questionnaire or invitation does not exist; please check that the link is complete.",
    ),
    ("survey.state.not-yet-open", "问卷尚未开始", "Not open yet"),
    (
        "survey.state.not-yet-open.text",
        "此问卷尚未开始接受答卷，请稍后再来。",
        "This questionnaire is not accepting answers yet; please come back later.",
    ),
    ("survey.state.closed", "问卷已结束", "Questionnaire closed"),
    (
        "survey.state.closed.text",
        "此问卷已停止接受答卷，感谢您的关注。",
        "This questionnaire no longer accepts answers. Thank you for your interest.",
    ),
    (
        "survey.state.quota-full",
        "答卷已收满",
        "All answers received",
    ),
    (
        "survey.state.quota-full.text",
        "此问卷已收到所需的全部答卷，感谢您的关注。",
        "This questionnaire has received all the answers it needs. Thank you for your interest.",
    ),
    ("survey.state.expired", "邀请已过期", "Invitation expired"),
    (
        "survey.state.expired.text",
        "此邀请链接已过期，无法再作答。",
        "This invitation has expired; it can no longer be answered.",
    ),
    (
        "survey.state.already-answered",
        "您已完成此问卷",
        "Already answered",
    ),
    (
        "survey.state.already-answered.text",
        "您已经提交过此问卷，每份邀请只能作答一次。感谢您的参与！",
        "You have already answered this questionnaire; each invitation can be answered once. Thank you!",
    ),
    (
        "survey.state.rate-limited",
        "请稍候",
        "Please wait a moment",
    ),
    (
        "survey.state.rate-limited.text",
        "您所在的网络提交过于频繁，请稍等片刻后返回重试。",
        "Too many answers were sent from your network; please wait a moment, go back and try again.",
    ),
    ("attr.region", "您所在的地区", "Where do you live?"),
    ("attr.region.north", "华北", "North China"),
    ("attr.region.northeast", "东北", "Northeast China"),
    ("attr.region.east", "华东", "East China"),
    ("attr.region.central", "华中", "Central China"),
    ("attr.region.south", "华南", "South China"),
    ("attr.region.southwest", "西南", "Southwest China"),
    ("attr.region.northwest", "西北", "Northwest China"),
    (
        "attr.region.overseas",
        "港澳台或海外",
        "Hong Kong, Macau, Taiwan or abroad",
    ),
    (
        "attr.customer_class",
        "您购买的频率和数量",
        "How much do you buy?",
    ),
    (
        "attr.customer_class.A",
        "A 类：经常购买，数量较多",
        "A: often, and in large amounts",
    ),
    ("attr.customer_class.B", "B 类：定期购买", "B: regularly"),
    ("attr.customer_class.C", "C 类：偶尔购买", "C: now and then"),
    (
        "attr.channel",
        "您通常在哪里购买？",
        "Where do you usually buy?",
    ),
    (
        "attr.channel.supermarket",
        "超市或大卖场",
        "Supermarket or hypermarket",
    ),
    ("attr.channel.convenience", "便利店", "Convenience store"),
    (
        "attr.channel.online",
        "网上商城或外卖平台",
        "Online shop or delivery app",
    ),
    ("attr.channel.specialty", "专卖店", "Specialist shop"),
    (
        "attr.channel.direct",
        "送货上门或直销",
        "Home delivery or direct sales",
    ),
    ("attr.channel.other", "其他", "Somewhere else"),
    (
        "attr.lifecycle_stage",
        "您购买我们的产品多久了？",
        "How long have you been buying from us?",
    ),
    (
        "attr.lifecycle_stage.potential",
        "还没买过，正在考虑",
        "I have not bought yet",
    ),
    (
        "attr.lifecycle_stage.new",
        "不到 6 个月",
        "Less than 6 months",
    ),
    (
        "attr.lifecycle_stage.existing",
        "6 个月或更久",
        "6 months or longer",
    ),
    (
        "attr.lifecycle_stage.lost",
        "以前买过，现在不买了",
        "I used to, but no longer do",
    ),
    ("report.title", "满意度报告", "Satisfaction report"),
    (
        "report.method",
        "指数按均值计算：100 ×（均值 − 最小值）/（最大值 − 最小值），各指标等权。",
        "Scores are mean-based: 100 × (mean − min) / (max − min), indicators weighted equally.",
    ),
    ("report.period", "季度", "Quarter"),
    ("report.brand", "品牌", "Brand"),
    ("report.n", "样本量", "n"),
    (
        "report.none",
        "还没有已完成的答卷。",
        "No completed responses yet.",
    ),
    ("report.too_few", "样本不足", "too few"),
    ("error.title", "出错了", "Something went wrong"),
    (
        "error.not_found",
        "找不到该页面。",
        "This page does not exist.",
    ),
    (
        "error.forbidden",
        "您没有权限访问此页面。",
        "You are not allowed to open this page.",
    ),
    (
        "error.csrf",
        "表单已过期或来源无效，请返回刷新后重试。",
        "The form has expired or did not come from this site; go back, reload and try again.",
    ),
    (
        "error.bad_request",
        "请求无效。",
        "The request is not valid.",
    ),
    (
        "error.internal",
        "服务器内部错误，已记录。请稍后再试。",
        "An internal error occurred and has been logged. Please try again later.",
    ),
    ("home.title", "欢迎使用 Yardstick", "Welcome to Yardstick"),
    (
        "home.text",
        "设计顾客满意度指标体系，通过链接或邮件收集答卷，并按季度、按品牌计算满意度指数。",
        "Design a customer-satisfaction indicator system, collect answers by link or email, and compute the satisfaction index per quarter and per brand.",
    ),
    ("audit.title", "审计日志", "Audit log"),
    ("audit.at", "时间", "When"),
    ("audit.actor", "操作者", "Who"),
    ("audit.action", "操作", "What"),
    ("audit.subject", "对象", "Subject"),
    ("audit.detail", "详情", "Detail"),
];

/// The string `key` in `lang`; an unknown key is returned as is (and caught by a test).
pub fn t(lang: Lang, key: &str) -> &str {
    STRINGS
        .iter()
        .chain(crate::web::i18n_design::STRINGS)
        .chain(crate::web::i18n_accounts::STRINGS)
        .chain(crate::web::i18n_mail::STRINGS)
        .chain(crate::web::i18n_report::STRINGS)
        .find(|(k, _, _)| *k == key)
        .map(|(_, zh, en)| if lang == Lang::ZhCn { *zh } else { *en })
        .unwrap_or(key)
}

/// Whether a key exists, for the template test.
pub fn has(key: &str) -> bool {
    STRINGS
        .iter()
        .chain(crate::web::i18n_design::STRINGS)
        .chain(crate::web::i18n_accounts::STRINGS)
        .chain(crate::web::i18n_mail::STRINGS)
        .chain(crate::web::i18n_report::STRINGS)
        .any(|(k, _, _)| *k == key)
}
