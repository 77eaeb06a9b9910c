//! The demo data set: a city's policy library written from templates, deterministic, large
//! enough that every facet and page of the portal has something to show. Loaded on first start.

use super::import::{AttachmentRecord, DocumentRecord, InterpretationRecord, QaRecord};

struct Issuer {
    name: &'static str,
    code: &'static str,
    level: &'static str,
    section: &'static str,
    phone: &'static str,
}

const ISSUERS: &[Issuer] = &[
    Issuer {
        name: "芜湖市人民政府",
        code: "芜政",
        level: "市本级",
        section: "市政府办公室政策研究科",
        phone: "0553-3829001",
    },
    Issuer {
        name: "芜湖市人民政府办公室",
        code: "芜政办",
        level: "市本级",
        section: "秘书一科",
        phone: "0553-3829002",
    },
    Issuer {
        name: "芜湖市人力资源和社会保障局",
        code: "芜人社",
        level: "市直部门",
        section: "就业促进和失业保险科",
        phone: "0553-3991201",
    },
    Issuer {
        name: "芜湖市发展和改革委员会",
        code: "芜发改",
        level: "市直部门",
        section: "综合规划科",
        phone: "0553-3991302",
    },
    Issuer {
        name: "芜湖市财政局",
        code: "芜财",
        level: "市直部门",
        section: "政策研究室",
        phone: "0553-3991403",
    },
    Issuer {
        name: "芜湖市住房和城乡建设局",
        code: "芜建",
        level: "市直部门",
        section: "房地产市场监管科",
        phone: "0553-3991504",
    },
    Issuer {
        name: "芜湖市教育局",
        code: "芜教",
        level: "市直部门",
        section: "学生资助管理中心",
        phone: "0553-3991605",
    },
    Issuer {
        name: "芜湖市民政局",
        code: "芜民",
        level: "市直部门",
        section: "养老服务科",
        phone: "0553-3991706",
    },
    Issuer {
        name: "芜湖市农业农村局",
        code: "芜农",
        level: "市直部门",
        section: "乡村产业发展科",
        phone: "0553-3991807",
    },
    Issuer {
        name: "芜湖市市场监督管理局",
        code: "芜市监",
        level: "市直部门",
        section: "登记注册科",
        phone: "0553-3991908",
    },
    Issuer {
        name: "芜湖市科学技术局",
        code: "芜科",
        level: "市直部门",
        section: "高新技术科",
        phone: "0553-3992009",
    },
    Issuer {
        name: "芜湖市卫生健康委员会",
        code: "芜卫健",
        level: "市直部门",
        section: "疾病预防控制科",
        phone: "0553-3992110",
    },
    Issuer {
        name: "无为市人民政府",
        code: "无政",
        level: "县市区",
        section: "政务公开办",
        phone: "0553-6312001",
    },
    Issuer {
        name: "繁昌区人民政府",
        code: "繁政",
        level: "县市区",
        section: "政务公开办",
        phone: "0553-7882001",
    },
    Issuer {
        name: "南陵县人民政府",
        code: "南政",
        level: "县市区",
        section: "政务公开办",
        phone: "0553-6812001",
    },
    Issuer {
        name: "镜湖区人民政府",
        code: "镜政",
        level: "县市区",
        section: "政务公开办",
        phone: "0553-3112001",
    },
];

/// A policy theme: what documents on it are called, whom they serve and what they say.
struct Theme {
    subject: &'static str,
    topic: &'static str,
    subtopic: &'static str,
    audiences: &'static [&'static str],
    categories: &'static [&'static str],
    /// Index into [`ISSUERS`] of the department that owns the theme.
    department: usize,
    goal: &'static str,
    measures: &'static [&'static str],
    questions: &'static [(&'static str, &'static str)],
}

const THEMES: &[Theme] = &[
    Theme {
        subject: "高校毕业生就业创业",
        topic: "劳动、人事、监察",
        subtopic: "就业创业",
        audiences: &["个人", "高校毕业生"],
        categories: &["稳就业保就业"],
        department: 2,
        goal: "促进高校毕业生等青年群体更加充分更高质量就业",
        measures: &[
            "对吸纳离校2年内未就业高校毕业生就业并签订1年以上劳动合同的小微企业，按每人1500元给予一次性吸纳就业补贴",
            "对首次创办小微企业或从事个体经营并正常经营1年以上的高校毕业生，给予5000元一次性创业补贴",
            "高校毕业生参加就业见习的，按当地最低工资标准的60%给予见习单位就业见习补贴",
            "符合条件的高校毕业生自主创业，可申请最高30万元的创业担保贷款并享受贴息",
            "来芜就业的全日制本科及以上学历毕业生，可按规定申领租房补贴和生活补贴",
        ],
        questions: &[
            (
                "应届毕业生到小微企业就业，企业能拿到什么补贴？",
                "企业吸纳离校2年内未就业高校毕业生并签订1年以上劳动合同、按规定缴纳社会保险的，可按每人1500元申请一次性吸纳就业补贴，请向企业所在地人社部门提交申请。",
            ),
            (
                "毕业生自己开店创业有补助吗？",
                "首次创办小微企业或从事个体经营且正常经营1年以上的高校毕业生，可申请5000元一次性创业补贴，同时可申请最高30万元创业担保贷款。",
            ),
            (
                "就业见习补贴怎么申请？",
                "见习单位在见习期满后持见习协议、考勤记录和发放生活补助的凭证，向所在地公共就业服务机构申请就业见习补贴。",
            ),
        ],
    },
    Theme {
        subject: "稳岗扩岗和失业保险",
        topic: "劳动、人事、监察",
        subtopic: "社会保险",
        audiences: &["企业", "小微企业"],
        categories: &["稳就业保就业", "助企纾困"],
        department: 2,
        goal: "帮助市场主体稳定就业岗位，减轻企业负担",
        measures: &[
            "对不裁员或少裁员的参保企业，按规定返还上年度实际缴纳失业保险费的一定比例",
            "阶段性降低失业保险、工伤保险费率政策延续实施",
            "企业招用就业困难人员并缴纳社会保险的，给予社会保险补贴",
            "失业人员可按规定申领失业保险金，领取期间由失业保险基金代缴基本医疗保险费",
        ],
        questions: &[
            (
                "失业保险稳岗返还要企业自己申请吗？",
                "稳岗返还实行“免申即享”，经大数据比对符合条件的企业无需申请，资金直接返还至企业对公账户。",
            ),
            (
                "失业了怎么领取失业保险金？",
                "非因本人意愿中断就业且缴纳失业保险满1年的，可持身份证到参保地公共就业服务机构或通过线上平台申领失业保险金。",
            ),
        ],
    },
    Theme {
        subject: "住房租赁市场管理",
        topic: "城乡建设、环境保护",
        subtopic: "住房保障",
        audiences: &["个人", "新市民"],
        categories: &["优化营商环境"],
        department: 5,
        goal: "规范住房租赁行为，保障租赁当事人合法权益",
        measures: &[
            "出租人收取押金的，应当在住房租赁合同中约定押金的数额、返还时间以及扣减押金的情形，押金数额不得超过一个月租金",
            "租赁合同期满承租人返还房屋的，出租人应当按照合同约定及时返还押金，无正当理由不得扣留",
            "住房租赁企业克扣押金、租金的，承租人可向住房城乡建设部门投诉，也可拨打12345热线反映",
            "新市民、青年人可按规定申请保障性租赁住房，租金低于同地段同品质市场租赁住房租金",
            "住房租赁合同应当通过住房租赁服务平台办理网签备案",
        ],
        questions: &[
            (
                "租房押金不退该找谁？",
                "出租人无正当理由不退押金的，可先协商；协商不成，可向房屋所在地住房城乡建设部门投诉，或拨打12345政务服务便民热线反映，必要时可向人民法院起诉。",
            ),
            (
                "房东收的押金有上限吗？",
                "按照本市住房租赁管理规定，押金数额不得超过一个月租金，并应在合同中约定返还时间和扣减情形。",
            ),
            (
                "新市民怎么申请保障性租赁住房？",
                "在本市无自有住房的新市民、青年人可通过住房保障服务平台提交申请，审核通过后按轮候顺序配租。",
            ),
        ],
    },
    Theme {
        subject: "小微企业纾困",
        topic: "财政、金融、审计",
        subtopic: "税费减免",
        audiences: &["企业", "小微企业", "个体工商户"],
        categories: &["助企纾困", "减税降费", "稳经济大盘一揽子政策"],
        department: 4,
        goal: "帮助小微企业和个体工商户渡过难关、恢复发展",
        measures: &[
            "对承租国有房屋的小微企业和个体工商户，减免3个月房屋租金",
            "小规模纳税人增值税起征点提高至月销售额10万元",
            "设立中小企业应急转贷资金，为企业提供低成本过桥资金",
            "政府采购工程项目预留面向中小企业的份额",
            "对受影响较大的行业企业，允许缓缴养老保险、失业保险和工伤保险单位缴费部分",
        ],
        questions: &[
            (
                "个体户租的是国有房屋，房租能减免吗？",
                "承租国有房屋从事生产经营的小微企业和个体工商户，可按政策减免3个月租金，请向出租的国有企业或行政事业单位提出申请。",
            ),
            (
                "小规模纳税人增值税怎么减免？",
                "小规模纳税人月销售额未超过10万元的，免征增值税，由税务部门在申报时自动适用。",
            ),
        ],
    },
    Theme {
        subject: "优化营商环境",
        topic: "综合政务",
        subtopic: "政务服务",
        audiences: &["企业", "全社会"],
        categories: &["优化营商环境"],
        department: 9,
        goal: "打造市场化法治化国际化一流营商环境",
        measures: &[
            "企业开办实现一网通办，全程办理时间压缩至1个工作日以内",
            "推行证照分离改革，对涉企经营许可事项实行清单管理",
            "工程建设项目审批全流程时间压缩至60个工作日以内",
            "建立涉企政策“免申即享”机制，符合条件的企业无需申请直接享受",
            "设立营商环境投诉举报平台，投诉事项5个工作日内答复",
        ],
        questions: &[
            (
                "在芜湖开办一家公司要多久？",
                "通过企业开办“一网通办”平台，营业执照、公章刻制、发票申领和社保登记可一次办结，全程1个工作日以内。",
            ),
            (
                "对营商环境有意见向哪里投诉？",
                "可通过市营商环境投诉举报平台或12345热线反映，相关部门将在5个工作日内答复。",
            ),
        ],
    },
    Theme {
        subject: "养老服务体系建设",
        topic: "民政、扶贫、救灾",
        subtopic: "养老服务",
        audiences: &["个人", "老年人"],
        categories: &[],
        department: 7,
        goal: "健全居家社区机构相协调、医养康养相结合的养老服务体系",
        measures: &[
            "对80周岁以上老年人按月发放高龄津贴",
            "对经济困难的失能老年人给予居家养老服务补贴",
            "新建住宅小区按每百户不少于20平方米标准配建养老服务设施",
            "对社会力量举办的养老机构按床位给予一次性建设补助和运营补贴",
            "推进老年人家庭适老化改造，对特殊困难老年人家庭给予改造补助",
        ],
        questions: &[
            (
                "老人满80岁有什么补贴？",
                "本市户籍80周岁以上老年人可按月领取高龄津贴，由户籍所在地社区（村）受理申请。",
            ),
            (
                "家里老人失能，可以申请居家养老服务补贴吗？",
                "经济困难的失能、半失能老年人经评估后，可享受居家养老服务补贴，向所在街道（乡镇）提出申请。",
            ),
        ],
    },
    Theme {
        subject: "残疾人两项补贴",
        topic: "民政、扶贫、救灾",
        subtopic: "社会救助",
        audiences: &["个人", "残疾人", "困难群众"],
        categories: &[],
        department: 7,
        goal: "保障困难残疾人生活和重度残疾人护理需要",
        measures: &[
            "对低保家庭中的残疾人发放困难残疾人生活补贴",
            "对残疾等级为一级、二级且需要长期照护的重度残疾人发放护理补贴",
            "补贴资金按月发放到残疾人本人账户",
            "残疾人可通过全国残疾人两项补贴网上申请入口申请",
        ],
        questions: &[(
            "残疾人护理补贴怎么申请？",
            "一级、二级重度残疾人可持残疾人证向户籍所在地乡镇（街道）提出申请，也可网上申请，审核通过后按月发放。",
        )],
    },
    Theme {
        subject: "退役军人就业创业",
        topic: "劳动、人事、监察",
        subtopic: "就业创业",
        audiences: &["个人", "退役军人"],
        categories: &["稳就业保就业"],
        department: 2,
        goal: "做好退役军人就业安置和创业扶持工作",
        measures: &[
            "退役军人参加职业技能培训的，按规定给予培训补贴",
            "企业招用自主就业退役士兵的，按规定享受税收扣减",
            "退役军人创办小微企业的，可申请创业担保贷款",
            "机关事业单位招录招聘时设置一定数量岗位定向招考退役士兵",
        ],
        questions: &[(
            "退役士兵自主创业能贷款吗？",
            "自主就业退役士兵创办小微企业或从事个体经营的，可申请创业担保贷款并按规定享受贴息。",
        )],
    },
    Theme {
        subject: "乡村振兴和农民增收",
        topic: "农业、林业、水利",
        subtopic: "乡村振兴",
        audiences: &["个人", "农民工", "全社会"],
        categories: &["乡村振兴"],
        department: 8,
        goal: "全面推进乡村振兴，促进农业高质高效、乡村宜居宜业、农民富裕富足",
        measures: &[
            "对新认定的市级以上农业产业化龙头企业给予一次性奖励",
            "对返乡入乡创业的农民工给予创业补贴和场地支持",
            "实施高标准农田建设，每亩补助标准不低于1500元",
            "发展农村电商，对建设县级电商公共服务中心给予补助",
            "对种粮大户按实际种植面积给予补贴",
        ],
        questions: &[
            (
                "农民工返乡创业有扶持吗？",
                "返乡入乡创业的农民工可申请一次性创业补贴、创业担保贷款，入驻返乡创业园的可减免场地租金。",
            ),
            (
                "种粮大户补贴按什么标准发放？",
                "种粮大户补贴按经核实的实际种植面积发放，具体标准以当年度农业农村部门公布的为准。",
            ),
        ],
    },
    Theme {
        subject: "科技创新和高新技术企业培育",
        topic: "科技、教育",
        subtopic: "科技创新",
        audiences: &["企业", "高新技术企业"],
        categories: &["稳经济大盘一揽子政策"],
        department: 10,
        goal: "强化企业科技创新主体地位，加快建设创新型城市",
        measures: &[
            "首次认定的高新技术企业给予20万元奖励",
            "对企业研发投入按增量部分给予一定比例补助",
            "对新建的省级以上研发平台给予最高500万元支持",
            "科技型中小企业研发费用按100%在税前加计扣除",
            "设立科技成果转化基金，支持科技成果在本市转化",
        ],
        questions: &[(
            "首次认定高新技术企业有奖励吗？",
            "首次通过认定的高新技术企业可获得20万元奖励，无需另行申请，由科技部门根据认定名单兑现。",
        )],
    },
    Theme {
        subject: "学生资助",
        topic: "科技、教育",
        subtopic: "学生资助",
        audiences: &["个人", "困难群众"],
        categories: &[],
        department: 6,
        goal: "确保家庭经济困难学生不因贫失学",
        measures: &[
            "普通高中国家助学金平均资助标准为每生每年2000元",
            "中等职业学校全日制学历教育在校生免除学费",
            "家庭经济困难的大学新生可申请生源地信用助学贷款",
            "学前教育阶段对家庭经济困难儿童给予保育教育费减免",
        ],
        questions: &[(
            "上大学没钱交学费，怎么申请助学贷款？",
            "家庭经济困难的学生可在户籍所在县（市、区）学生资助管理中心申请生源地信用助学贷款，每年办理时间一般为7月至9月。",
        )],
    },
    Theme {
        subject: "常态化疫情防控",
        topic: "卫生、体育",
        subtopic: "公共卫生",
        audiences: &["全社会"],
        categories: &["疫情防控"],
        department: 11,
        goal: "科学精准做好疫情防控工作，保障人民群众生命安全和身体健康",
        measures: &[
            "落实重点场所、重点单位常态化防控措施",
            "加强发热门诊建设，提升医疗救治能力",
            "做好重点人群疫苗接种工作",
            "建立健全监测预警体系",
        ],
        questions: &[(
            "发热了应该去哪里就诊？",
            "出现发热症状可前往就近医疗机构发热门诊就诊，就诊途中做好个人防护。",
        )],
    },
    Theme {
        subject: "重大建设项目推进",
        topic: "国民经济管理、国有资产监管",
        subtopic: "投资管理",
        audiences: &["企业", "全社会"],
        categories: &["重大建设项目", "扩大有效投资"],
        department: 3,
        goal: "加快推进重大项目建设，扩大有效投资",
        measures: &[
            "建立重大项目市级领导联系推进机制",
            "对列入年度重点项目计划的项目优先保障用地指标",
            "推行项目审批“容缺受理”和“并联审批”",
            "定期公开重大建设项目批准、实施和竣工信息",
        ],
        questions: &[(
            "重大建设项目的信息在哪里公开？",
            "重大建设项目的批准、招标投标、征收、施工、竣工等信息在市政府门户网站“重大建设项目”专栏公开。",
        )],
    },
    Theme {
        subject: "外资企业投资促进",
        topic: "商贸、海关、旅游",
        subtopic: "对外开放",
        audiences: &["企业", "外资企业"],
        categories: &["稳经济大盘一揽子政策", "优化营商环境"],
        department: 3,
        goal: "稳外资、促投资，提升对外开放水平",
        measures: &[
            "对新设外资项目按实际到资额给予奖励",
            "外资企业同等享受各项支持政策",
            "设立外资企业服务专员，协调解决企业诉求",
            "外籍人才办理工作许可实行容缺受理",
        ],
        questions: &[(
            "外资企业能享受本地的产业扶持政策吗？",
            "外资企业与内资企业同等适用本市各项产业扶持政策，依法平等参与政府采购和招标投标。",
        )],
    },
    Theme {
        subject: "食品安全和个体工商户登记",
        topic: "市场监管、安全生产监管",
        subtopic: "市场主体",
        audiences: &["企业", "个体工商户"],
        categories: &["优化营商环境"],
        department: 9,
        goal: "规范市场主体登记管理，守住食品安全底线",
        measures: &[
            "个体工商户登记实行告知承诺制，当场办结",
            "小餐饮、小作坊实行备案管理",
            "对食品生产经营者实行风险分级管理",
            "鼓励个体工商户转型升级为企业，转型后保留原字号",
        ],
        questions: &[(
            "开个小吃店需要办什么证？",
            "开设小餐饮需办理营业执照，并向所在地市场监管部门办理小餐饮登记备案，可在政务服务平台一次提交。",
        )],
    },
    Theme {
        subject: "城乡居民医疗保障",
        topic: "卫生、体育",
        subtopic: "医疗保障",
        audiences: &["个人", "困难群众", "老年人"],
        categories: &[],
        department: 11,
        goal: "健全多层次医疗保障体系，减轻群众就医负担",
        measures: &[
            "城乡居民医保政策范围内住院费用报销比例保持在70%左右",
            "对特困人员、低保对象参加居民医保的个人缴费部分给予资助",
            "将门诊慢特病纳入医保报销范围",
            "异地就医直接结算覆盖全部统筹区",
        ],
        questions: &[(
            "低保户交居民医保有补助吗？",
            "特困人员参加城乡居民医保的个人缴费给予全额资助，低保对象给予定额资助，由民政部门认定后医保部门办理。",
        )],
    },
    Theme {
        subject: "社会组织登记管理",
        topic: "民政、扶贫、救灾",
        subtopic: "社会组织",
        audiences: &["社会组织"],
        categories: &[],
        department: 7,
        goal: "规范社会组织登记和管理，激发社会组织活力",
        measures: &[
            "行业协会商会、科技类、公益慈善类、城乡社区服务类社会组织可直接登记",
            "社会组织年度报告实行网上填报",
            "对承接政府购买服务的社会组织开展绩效评价",
            "建立社会组织活动异常名录",
        ],
        questions: &[(
            "成立社区志愿服务组织要登记吗？",
            "城乡社区服务类社会组织可直接向民政部门申请登记，规模较小的可向街道（乡镇）备案。",
        )],
    },
    Theme {
        subject: "事业单位公开招聘",
        topic: "劳动、人事、监察",
        subtopic: "人事管理",
        audiences: &["事业单位", "个人"],
        categories: &[],
        department: 2,
        goal: "规范事业单位公开招聘，拓宽选人用人渠道",
        measures: &[
            "事业单位新进人员除国家政策性安置外一律公开招聘",
            "招聘信息在市人社局网站公开发布不少于7个工作日",
            "对高层次人才可采取直接考察方式招聘",
            "招聘结果公示期为7个工作日",
        ],
        questions: &[(
            "事业单位招聘公告在哪里看？",
            "全市事业单位公开招聘公告统一在市人力资源和社会保障局网站发布，发布时间不少于7个工作日。",
        )],
    },
    Theme {
        subject: "制造业高质量发展",
        topic: "工业、交通",
        subtopic: "制造业",
        audiences: &["企业"],
        categories: &["稳经济大盘一揽子政策", "扩大有效投资"],
        department: 3,
        goal: "推动制造业高端化、智能化、绿色化发展",
        measures: &[
            "对智能化技术改造项目按设备投资额给予补助",
            "新认定的国家级专精特新“小巨人”企业给予一次性奖励",
            "对首台套重大技术装备给予保费补贴",
            "支持企业建设绿色工厂",
        ],
        questions: &[(
            "企业技术改造有补助吗？",
            "企业实施智能化技术改造、设备投资达到规定额度的，可按设备投资额的一定比例申请补助，具体以年度申报通知为准。",
        )],
    },
    Theme {
        subject: "文化旅游消费",
        topic: "文化、广电、新闻出版",
        subtopic: "文旅消费",
        audiences: &["全社会", "企业"],
        categories: &["稳经济大盘一揽子政策"],
        department: 0,
        goal: "促进文化和旅游消费，激发市场活力",
        measures: &[
            "发放文旅消费券，支持景区、剧场、书店参与",
            "对新评定的国家4A级以上旅游景区给予奖励",
            "鼓励景区实行门票优惠，对老年人、残疾人等群体减免门票",
            "支持夜间文旅消费集聚区建设",
        ],
        questions: &[(
            "老年人逛景区能免门票吗？",
            "本市国有景区对65周岁以上老年人免收门票，60至64周岁老年人半价，凭身份证入园。",
        )],
    },
    Theme {
        subject: "生态环境保护",
        topic: "城乡建设、环境保护",
        subtopic: "生态环境",
        audiences: &["全社会", "企业"],
        categories: &[],
        department: 0,
        goal: "深入打好污染防治攻坚战，建设美丽芜湖",
        measures: &[
            "严格落实长江十年禁渔",
            "推进工业企业污染治理设施提标改造",
            "建立生态环境损害赔偿制度",
            "实施生活垃圾分类，设置分类投放点",
        ],
        questions: &[(
            "发现企业偷排污水向哪里举报？",
            "可拨打12369环保举报热线或通过12345热线举报，生态环境部门将依法调查处理。",
        )],
    },
];

const KINDS: &[(&str, &str)] = &[
    ("关于进一步做好{s}工作的通知", "通知"),
    ("芜湖市{s}管理办法", "办法"),
    ("关于支持{s}的若干措施", "措施"),
    ("芜湖市{s}实施细则", "细则"),
    ("关于印发《芜湖市{s}三年行动方案》的通知", "方案"),
    ("关于加快推进{s}的实施意见", "意见"),
];

/// Tiny deterministic generator so the demo set is the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Documents generated before older ones are thinned out (fewer old documents are online,
/// as in a real library).
pub const DEMO_DOCUMENTS: usize = 336;
/// The year of the first round of documents; each round of themes is a year later.
const FIRST_YEAR: u32 = 2011;

/// The demo documents, with interpretations and attachments.
pub fn documents() -> Vec<DocumentRecord> {
    let mut rng = Lcg(20221212);
    let mut seq: std::collections::HashMap<(usize, u32), u32> = Default::default();
    let mut out: Vec<DocumentRecord> = Vec::with_capacity(DEMO_DOCUMENTS);
    for i in 0..DEMO_DOCUMENTS {
        let theme_no = i % THEMES.len();
        let theme = &THEMES[theme_no];
        let issuer_no = match i % 4 {
            0 => 0,
            1 => theme.department,
            2 => 1,
            _ => 12 + rng.next(4),
        };
        let issuer = &ISSUERS[issuer_no];
        let year = FIRST_YEAR + (i / THEMES.len()) as u32;
        let month = 1 + rng.next(12) as u32;
        let day = 1 + rng.next(28) as u32;
        let n = seq.entry((issuer_no, year)).or_insert(0);
        *n += 1 + rng.next(3) as u32;
        let (pattern, kind) = KINDS[(i / THEMES.len() + theme_no) % KINDS.len()];
        // "住房租赁市场管理" + "管理办法" reads as one 管理, as a city would write it.
        let title = pattern
            .replace("{s}", theme.subject)
            .replace("管理管理", "管理");
        let title = if issuer.level == "县市区" {
            title.replace("芜湖市", &issuer.name.replace("人民政府", ""))
        } else {
            title
        };
        let doc_type = match (issuer_no, kind) {
            (0, "办法") => "政府规章",
            (_, "通知") if i % 3 == 0 => "其他文件",
            _ => "行政规范性文件",
        };
        let published = format!("{year}-{month:02}-{day:02}");
        let written_day = day.saturating_sub(3).max(1);
        let mut body = vec![format!(
            "各县市区人民政府，市政府各部门、各直属单位：\n\n为{}，根据国家和省有关规定，结合我市实际，制定本{}。",
            theme.goal, kind
        )];
        let headings = ["一", "二", "三", "四", "五", "六"];
        for (k, measure) in theme.measures.iter().enumerate() {
            body.push(format!("{}、{}。", headings[k % headings.len()], measure));
        }
        body.push(format!(
            "本{}由{}负责解释，咨询电话：{}。自{}起施行，有效期5年。",
            kind, issuer.name, issuer.phone, published
        ));
        let id = format!("wh-{year}-{i:04}");
        let mut record = DocumentRecord {
            id: id.clone(),
            title,
            doc_number: Some(format!("{}〔{}〕{}号", issuer.code, year, n)),
            issuer: Some(issuer.name.to_owned()),
            issued_date: Some(format!("{year}-{month:02}-{written_day:02}")),
            published_date: Some(published.clone()),
            effective_date: Some(published.clone()),
            doc_type: Some(doc_type.to_owned()),
            topic_auto: Some(theme.topic.to_owned()),
            subtopic: Some(theme.subtopic.to_owned()),
            validity: Some("现行有效".to_owned()),
            body: body.join("\n\n"),
            index_no: Some(format!("11340200003176413J/{year}{month:02}-{:05}", i + 1)),
            level: Some(issuer.level.to_owned()),
            audiences: theme.audiences.iter().map(|s| (*s).to_owned()).collect(),
            categories: theme.categories.iter().map(|s| (*s).to_owned()).collect(),
            ..Default::default()
        };
        if i % 4 == 0 {
            record.attachments.push(AttachmentRecord {
                name: "附件：申请表（样表）".to_owned(),
                url: "/attachments/application-form.txt".to_owned(),
            });
        }
        // A city-level normative document always carries its two forms (三同步).
        if i % 3 == 0 || (issuer.level == "市本级" && doc_type == "行政规范性文件") {
            record.interpretations = interpretations(&id, theme, issuer, &published, i);
        }
        out.push(record);
    }
    // Older documents on a theme give way to the next round's document on it: abolished,
    // expired or amended. Only even rounds change, so a replacement is in force unless a
    // newer document of its own title replaced it in turn.
    for i in 0..DEMO_DOCUMENTS {
        let round = i / THEMES.len();
        let successor = i + THEMES.len();
        if round % 2 == 1 || successor >= DEMO_DOCUMENTS {
            continue;
        }
        let (validity, replaced) = match (i % THEMES.len() + round) % 6 {
            0 => ("废止", true),
            2 => ("失效", false),
            4 => ("已修改", true),
            _ => continue,
        };
        let changed = out[successor].published_date.clone();
        let (successor_id, successor_title) =
            (out[successor].id.clone(), out[successor].title.clone());
        let r = &mut out[i];
        r.validity = Some(validity.to_owned());
        r.validity_changed_date = changed;
        r.validity_reason = Some(match validity {
            "废止" => format!("已由《{successor_title}》替代"),
            "已修改" => format!("部分条款已由《{successor_title}》修改"),
            _ => "有效期届满，未再延续".to_owned(),
        });
        if replaced {
            r.superseded_by = Some(successor_id);
        }
    }
    // A title is current once: an older document of the same title gives way to the newest.
    let mut newest: std::collections::HashMap<String, usize> = Default::default();
    for (i, d) in out.iter().enumerate() {
        newest.insert(d.title.clone(), i);
    }
    for i in 0..out.len() {
        let latest = newest[&out[i].title];
        if latest != i && out[i].validity.as_deref() == Some("现行有效") {
            let (id, date) = (out[latest].id.clone(), out[latest].published_date.clone());
            let r = &mut out[i];
            r.validity = Some("废止".to_owned());
            r.validity_changed_date = date;
            r.validity_reason = Some("已由新制定的同名文件替代".to_owned());
            r.superseded_by = Some(id);
        }
    }
    // Fewer old documents are online: the oldest round keeps about a third, each later one
    // more; a document another points to always stays.
    let pointed: std::collections::HashSet<String> =
        out.iter().filter_map(|d| d.superseded_by.clone()).collect();
    let mut keep = Lcg(20261202);
    let mut n = 0;
    out.retain(|d| {
        let round = n / THEMES.len();
        n += 1;
        pointed.contains(&d.id) || keep.next(100) < 35 + 9 * round / 2
    });
    out
}

fn interpretations(
    id: &str,
    theme: &Theme,
    issuer: &Issuer,
    date: &str,
    i: usize,
) -> Vec<InterpretationRecord> {
    let second = ["图解", "视频解读", "简明问答"][(i / 3) % 3];
    let mut out = vec![InterpretationRecord {
        id: format!("{id}-jd1"),
        title: format!("文字解读：{}政策要点", theme.subject),
        form: "文字解读".to_owned(),
        org: Some(issuer.name.to_owned()),
        published_date: Some(date.to_owned()),
        body: format!(
            "一、出台背景\n\n为{}，{}牵头起草了本文件。\n\n二、主要内容\n\n{}\n\n三、适用对象\n\n本政策主要面向{}。",
            theme.goal,
            issuer.name,
            theme.measures.join("；"),
            theme.audiences.join("、")
        ),
        media_url: None,
    }];
    let (title, body, media) = match second {
        "图解" => (
            format!("一图读懂：{}政策要点", theme.subject),
            format!(
                "图解要点：{}",
                theme.measures.first().copied().unwrap_or_default()
            ),
            Some("/attachments/graphic-interpretation.svg".to_owned()),
        ),
        "视频解读" => (
            format!("视频解读：{}", theme.subject),
            "视频时长约3分钟，由政策起草部门负责人解读政策主要内容。".to_owned(),
            None,
        ),
        _ => (
            format!("简明问答：{}十问十答", theme.subject),
            theme
                .questions
                .iter()
                .map(|(q, a)| format!("问：{q}\n\n答：{a}"))
                .collect::<Vec<_>>()
                .join("\n\n"),
            None,
        ),
    };
    out.push(InterpretationRecord {
        id: format!("{id}-jd2"),
        title,
        form: second.to_owned(),
        org: Some(issuer.name.to_owned()),
        published_date: Some(date.to_owned()),
        body,
        media_url: media,
    });
    out
}

/// Q&A entries answered by each theme's department, linked to a current document on it.
pub fn qa(docs: &[DocumentRecord]) -> Vec<QaRecord> {
    let mut out = Vec::new();
    for (t, theme) in THEMES.iter().enumerate() {
        let document = docs
            .iter()
            .filter(|d| {
                d.title.contains(theme.subject) && d.subtopic.as_deref() == Some(theme.subtopic)
            })
            .rfind(|d| d.validity.as_deref() == Some("现行有效"));
        let dept = &ISSUERS[theme.department];
        for (k, (q, a)) in theme.questions.iter().enumerate() {
            out.push(QaRecord {
                id: format!("whqa-{t:02}-{k}"),
                question: (*q).to_owned(),
                answer: (*a).to_owned(),
                department: Some(dept.name.to_owned()),
                section: Some(dept.section.to_owned()),
                phone: Some(dept.phone.to_owned()),
                topic: Some(theme.topic.to_owned()),
                document_id: document.map(|d| d.id.clone()),
                published_date: document.and_then(|d| d.published_date.clone()),
            });
        }
    }
    out
}

/// The demo units and their levels (市本级, 市直部门, 县市区).
pub fn unit_levels() -> Vec<(&'static str, &'static str)> {
    ISSUERS.iter().map(|i| (i.name, i.level)).collect()
}

/// Words a fresh portal refuses in submitted text; the admin keeps the list from then on.
const SENSITIVE_WORDS: &[&str] = &["代开发票", "办假证", "网络赌博", "刷单返利", "傻逼"];

/// The consultation settings a fresh portal starts from: each theme's topic routed to its
/// department, five working days to answer, New Year's Day (the one holiday of next year
/// fixed by law before the State Council publishes its calendar), and a starter word list.
/// Left alone once an admin has saved settings.
pub async fn consult_settings(db: &impl sea_orm::ConnectionTrait) -> crate::error::Result<()> {
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

    use crate::entity::{calendar_day, consult_route, organization, sensitive_word};
    if consult_route::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let mut routed: Vec<&str> = Vec::new();
    for theme in THEMES {
        if routed.contains(&theme.topic) {
            continue;
        }
        let name = ISSUERS[theme.department].name;
        if let Some(org) = organization::Entity::find()
            .filter(organization::Column::Name.eq(name))
            .one(db)
            .await?
        {
            consult_route::ActiveModel {
                topic: Set(theme.topic.to_owned()),
                org_id: Set(org.id),
            }
            .insert(db)
            .await?;
            routed.push(theme.topic);
        }
    }
    if calendar_day::Entity::find().count(db).await? == 0 {
        calendar_day::ActiveModel {
            day: Set("2027-01-01".to_owned()),
            working: Set(false),
        }
        .insert(db)
        .await?;
    }
    if sensitive_word::Entity::find().count(db).await? == 0 {
        for word in SENSITIVE_WORDS {
            sensitive_word::ActiveModel {
                word: Set((*word).to_owned()),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_set_fills_every_facet() {
        let docs = documents();
        assert!(docs.len() >= 200, "{}", docs.len());
        let has = |f: &dyn Fn(&DocumentRecord) -> bool| docs.iter().any(f);
        for t in ["政府规章", "行政规范性文件", "其他文件"] {
            assert!(has(&|d| d.doc_type.as_deref() == Some(t)), "{t}");
        }
        for v in ["现行有效", "废止", "失效", "已修改"] {
            assert!(has(&|d| d.validity.as_deref() == Some(v)), "{v}");
        }
        assert!(has(&|d| !d.categories.is_empty()));
        assert!(has(&|d| d.interpretations.iter().any(|i| i.form == "图解")));
        assert!(has(&|d| d
            .interpretations
            .iter()
            .any(|i| i.form == "视频解读")));
        let ids: std::collections::HashSet<_> = docs.iter().map(|d| &d.id).collect();
        assert_eq!(ids.len(), docs.len());
        assert!(
            docs.iter().all(|d| !d.title.contains("管理管理")),
            "no title repeats a word"
        );
        let numbers: std::collections::HashSet<_> = docs.iter().map(|d| &d.doc_number).collect();
        assert_eq!(numbers.len(), docs.len(), "document numbers are unique");
        for d in &docs {
            if d.level.as_deref() == Some("市本级")
                && d.doc_type.as_deref() == Some("行政规范性文件")
            {
                let forms: std::collections::HashSet<_> =
                    d.interpretations.iter().map(|i| &i.form).collect();
                assert!(forms.len() >= 2, "{}", d.id);
            }
        }
        let qa = qa(&docs);
        assert!(qa.len() >= 30);
        assert!(
            qa.iter().all(|q| q.document_id.is_some()),
            "every theme has a current document"
        );
    }

    #[test]
    fn the_demo_set_reads_like_a_real_library() {
        let docs = documents();
        let current: Vec<&DocumentRecord> = docs
            .iter()
            .filter(|d| d.validity.as_deref() == Some("现行有效"))
            .collect();
        let titles: std::collections::HashSet<_> = current.iter().map(|d| &d.title).collect();
        assert_eq!(
            titles.len(),
            current.len(),
            "no two current documents share a title"
        );
        for d in &docs {
            let words: Vec<&str> = d
                .topic_auto
                .iter()
                .flat_map(|t| t.split('、'))
                .chain(d.subtopic.as_deref())
                .collect();
            let distinct: std::collections::HashSet<_> = words.iter().collect();
            assert_eq!(distinct.len(), words.len(), "{}: topics {words:?}", d.id);
        }
        // Every change says when and why, and a replacement is a document of the set.
        let ids: std::collections::HashSet<_> = docs.iter().map(|d| d.id.as_str()).collect();
        for d in docs
            .iter()
            .filter(|d| d.validity.as_deref() != Some("现行有效"))
        {
            assert!(
                d.validity_changed_date.is_some() && d.validity_reason.is_some(),
                "{}",
                d.id
            );
            if let Some(by) = &d.superseded_by {
                assert!(ids.contains(by.as_str()), "{} → {by}", d.id);
            }
        }
        // Counts per year vary, growing towards the present, as a real library's do.
        let mut per_year: std::collections::BTreeMap<&str, usize> = Default::default();
        for d in &docs {
            *per_year
                .entry(&d.published_date.as_deref().unwrap_or_default()[..4])
                .or_default() += 1;
        }
        let counts: Vec<usize> = per_year.values().copied().collect();
        let distinct: std::collections::HashSet<_> = counts.iter().collect();
        assert!(distinct.len() >= 4, "{per_year:?}");
        assert!(counts[0] < counts[counts.len() - 2], "{per_year:?}");
    }
}
