"""The default category tree, with time limits after 12345 practice:
response within 1 working day; handling within 2 hours for emergencies, 24 hours for water,
power, gas and heating, 7 working days ordinarily and 15 for complex matters.

Default lead departments are chosen by administrators (and by the demo), since departments
differ from district to district."""

from __future__ import annotations

ALL = ["consult", "help", "complaint", "report", "suggestion"]
PROBLEMS = ["consult", "help", "complaint", "report"]

# (response amount, unit, handling amount, unit, urgent response, unit, urgent handling, unit)
ORDINARY = (1, "working_days", 7, "working_days", 1, "hours", 2, "hours")
COMPLEX = (1, "working_days", 15, "working_days", 1, "hours", 2, "hours")
UTILITY = (2, "hours", 24, "hours", 1, "hours", 2, "hours")

# code, name, what residents would say, appeal types, keywords, limits, children
CATEGORIES = [
    (
        "noise",
        "噪音扰民",
        "吵得睡不着、施工太吵、广场舞声音大",
        PROBLEMS,
        "噪音,噪声,吵,扰民,喇叭,广场舞,装修声",
        ORDINARY,
        [
            (
                "noise-construction",
                "施工噪音",
                "工地夜里施工、装修噪音",
                "施工,工地,夜间施工,装修,电钻",
                ORDINARY,
            ),
            (
                "noise-business",
                "经营噪音",
                "商铺喇叭、饭馆排风扇吵",
                "商铺,喇叭,促销,排风,KTV,酒吧",
                ORDINARY,
            ),
            (
                "noise-institution",
                "单位和学校噪音",
                "幼儿园、学校、单位一大早放广播",
                "幼儿园,学校,广播,早操,单位",
                ORDINARY,
            ),
            (
                "noise-neighbour",
                "生活噪音",
                "楼上楼下、广场舞太吵",
                "楼上,邻居,广场舞,宠物,狗叫",
                ORDINARY,
            ),
        ],
    ),
    (
        "traffic",
        "交通出行",
        "乱停车、黑车、路坏了、公交不方便",
        [*PROBLEMS, "suggestion"],
        "停车,黑车,占道,交通,红绿灯,公交,道路",
        ORDINARY,
        [
            (
                "traffic-parking",
                "违章停车与黑车占道",
                "车乱停、堵消防通道、黑车拉客",
                "停车,乱停,黑车,占道,消防通道,堵路",
                ORDINARY,
            ),
            (
                "traffic-road",
                "道路设施",
                "路面坑洼、红绿灯坏了、井盖丢了",
                "坑,路面,井盖,红绿灯,路灯,护栏",
                ORDINARY,
            ),
            ("traffic-transit", "公交出行", "公交车少、站台远", "公交,站台,班次,地铁", COMPLEX),
        ],
    ),
    (
        "property",
        "物业管理",
        "物业不管事、电梯坏了、收费不合理",
        PROBLEMS,
        "物业,电梯,保安,维修,物业费,楼道",
        ORDINARY,
        [
            (
                "property-service",
                "物业服务",
                "物业不管事、保洁不到位",
                "物业,保洁,保安,服务",
                ORDINARY,
            ),
            ("property-elevator", "电梯故障", "电梯坏了、经常停", "电梯,困人,停运", ORDINARY),
            (
                "property-repair",
                "公共部位维修",
                "楼道灯坏、屋顶漏水、下水管堵",
                "漏水,楼道灯,下水,管道,维修基金",
                ORDINARY,
            ),
            (
                "property-fee",
                "物业收费",
                "物业费、停车费收得不合理",
                "物业费,停车费,收费",
                ORDINARY,
            ),
        ],
    ),
    (
        "sanitation",
        "市容环卫",
        "垃圾没人清、路边摆摊、私搭乱建",
        PROBLEMS,
        "垃圾,环卫,卫生,摆摊,违建,私搭乱建,小广告",
        ORDINARY,
        [
            ("sanitation-garbage", "垃圾清运", "垃圾堆着没人收", "垃圾,清运,垃圾桶,异味", ORDINARY),
            (
                "sanitation-street",
                "占道经营",
                "路边摆摊、店外经营",
                "摆摊,占道,小摊,店外",
                ORDINARY,
            ),
            (
                "sanitation-building",
                "违法建设",
                "私搭乱建、占绿地盖房",
                "违建,私搭乱建,加盖,圈地",
                COMPLEX,
            ),
        ],
    ),
    (
        "utilities",
        "水电气热",
        "停水停电、没暖气、燃气有问题",
        PROBLEMS,
        "停水,停电,燃气,暖气,供暖,水压,电压",
        UTILITY,
        [
            ("utilities-water", "供水", "停水、水压低、水发黄", "停水,水压,自来水,水质", UTILITY),
            ("utilities-power", "供电", "停电、电压不稳", "停电,电压,跳闸,电表", UTILITY),
            ("utilities-gas", "燃气", "没有燃气、燃气表问题", "燃气,天然气,煤气,燃气表", UTILITY),
            ("utilities-heating", "供暖", "暖气不热、没来暖", "暖气,供暖,不热,采暖", UTILITY),
        ],
    ),
    (
        "welfare",
        "社会保障与救助",
        "低保、临时救助、养老和医疗保险",
        ALL,
        "低保,救助,补助,保险,社保,医保,困难",
        ORDINARY,
        [
            ("welfare-dibao", "低保申请", "申请低保、低保金", "低保,最低生活保障", ORDINARY),
            ("welfare-relief", "临时救助", "家里突然遇到困难", "临时救助,困难,急难", ORDINARY),
            (
                "welfare-insurance",
                "社会保险",
                "养老保险、医疗保险、报销",
                "养老保险,医保,报销,社保卡",
                ORDINARY,
            ),
            ("welfare-party", "困难党员帮扶", "困难党员帮扶款", "困难党员,帮扶款,慰问", ORDINARY),
        ],
    ),
    (
        "employment",
        "就业创业",
        "找工作、技能培训、失地后就业",
        ALL,
        "就业,工作,培训,失业,失地,创业",
        ORDINARY,
        [
            (
                "employment-help",
                "就业援助",
                "想找工作、失业登记",
                "找工作,失业,就业援助,岗位",
                ORDINARY,
            ),
            ("employment-training", "职业培训", "想学技能", "培训,技能,证书", ORDINARY),
            (
                "employment-landless",
                "失地居民就业",
                "地被征了以后的工作和生活",
                "失地,征地,安置",
                COMPLEX,
            ),
        ],
    ),
    (
        "elderly",
        "养老服务",
        "老人吃饭、照护、家里设施不方便",
        ALL,
        "老人,养老,助餐,照护,独居,适老化",
        ORDINARY,
        [
            ("elderly-home", "居家养老", "上门照护、助浴", "照护,上门,助浴,护理", ORDINARY),
            ("elderly-meals", "老年助餐", "老年餐桌、送餐", "助餐,食堂,送餐,老年餐桌", ORDINARY),
            ("elderly-adaptation", "适老化改造", "装扶手、坡道", "扶手,坡道,改造,适老化", COMPLEX),
        ],
    ),
    (
        "disability",
        "残疾人服务",
        "残疾人补贴、辅具、出行",
        ALL,
        "残疾,残疾人,轮椅,辅具,残联,盲道",
        ORDINARY,
        [
            (
                "disability-subsidy",
                "残疾人补助",
                "残疾人困难补助、护理补贴",
                "补助,补贴,残疾证",
                ORDINARY,
            ),
            (
                "disability-aids",
                "辅具与无障碍",
                "轮椅、无障碍通道",
                "轮椅,辅具,无障碍,盲道",
                ORDINARY,
            ),
        ],
    ),
    (
        "housing",
        "住房保障",
        "公租房、老旧小区改造、房子有安全问题",
        ALL,
        "住房,公租房,廉租房,老旧小区,改造,危房",
        COMPLEX,
        [
            ("housing-public", "保障性住房", "公租房申请、租金", "公租房,廉租房,保障房", COMPLEX),
            (
                "housing-renovation",
                "老旧小区改造",
                "外墙、管线、加装电梯",
                "老旧小区,改造,加装电梯,外墙",
                COMPLEX,
            ),
        ],
    ),
    (
        "safety",
        "安全隐患",
        "着火隐患、燃气泄漏、房子有危险",
        ["help", "complaint", "report"],
        "隐患,消防,着火,泄漏,危险,坍塌,电动车",
        ORDINARY,
        [
            (
                "safety-fire",
                "消防安全",
                "楼道堆物、电动车进楼充电",
                "消防,楼道堆物,电动车,充电,灭火器",
                ORDINARY,
            ),
            (
                "safety-structure",
                "房屋与设施安全",
                "墙皮脱落、广告牌要掉",
                "脱落,坍塌,裂缝,广告牌",
                ORDINARY,
            ),
        ],
    ),
    (
        "education",
        "教育",
        "入园入学、学校周边",
        ALL,
        "幼儿园,学校,入学,入园,学位",
        ORDINARY,
        [
            (
                "education-enrolment",
                "入园入学",
                "孩子上学、上幼儿园",
                "入学,入园,学位,划片",
                ORDINARY,
            ),
            (
                "education-surroundings",
                "校园周边",
                "学校门口拥堵、小摊",
                "校门口,接送,周边",
                ORDINARY,
            ),
        ],
    ),
    (
        "health",
        "医疗卫生",
        "社区医院、看病",
        ALL,
        "医院,看病,卫生站,疫苗,药",
        ORDINARY,
        [
            (
                "health-community",
                "社区卫生服务",
                "社区卫生站、家庭医生",
                "卫生站,家庭医生,体检",
                ORDINARY,
            ),
        ],
    ),
    (
        "dispute",
        "邻里纠纷",
        "邻居之间的矛盾",
        ["help", "complaint"],
        "纠纷,矛盾,邻居,吵架,漏水到楼下",
        ORDINARY,
        [
            (
                "dispute-neighbour",
                "邻里矛盾调解",
                "和邻居有矛盾需要调解",
                "调解,矛盾,邻居",
                ORDINARY,
            ),
        ],
    ),
    (
        "policy",
        "政策咨询",
        "想问问政策怎么规定",
        ["consult"],
        "政策,咨询,怎么办理,规定,条件",
        ORDINARY,
        [
            ("policy-general", "政策法规咨询", "问政策、问手续", "政策,手续,办理,条件", ORDINARY),
        ],
    ),
    (
        "suggestion",
        "意见建议",
        "对党委、政府和社区工作的意见建议",
        ["suggestion"],
        "建议,意见,希望,提议",
        COMPLEX,
        [
            (
                "suggestion-party",
                "对党委工作的意见建议",
                "给党委提意见建议",
                "党委,党建,作风,干部",
                COMPLEX,
            ),
            (
                "suggestion-community",
                "社区建设建议",
                "让社区更好的建议",
                "社区,建设,活动,环境",
                COMPLEX,
            ),
        ],
    ),
    (
        "other",
        "其他",
        "不知道属于哪一类",
        ALL,
        "",
        ORDINARY,
        [
            ("other-general", "其他事项", "其他问题", "", ORDINARY),
        ],
    ),
]


def ensure_categories(category_model) -> int:
    """Create missing default categories (never changes existing ones). Returns how many."""
    created = 0
    for order, (code, name, plain, types, keywords, limits, children) in enumerate(CATEGORIES):
        parent, made = category_model.objects.get_or_create(
            code=code, defaults=_fields(name, plain, types, keywords, limits, (order + 1) * 10)
        )
        created += made
        for c_order, (c_code, c_name, c_plain, c_keywords, c_limits) in enumerate(children):
            _, made = category_model.objects.get_or_create(
                code=c_code,
                defaults={
                    **_fields(c_name, c_plain, types, c_keywords, c_limits, c_order + 1),
                    "parent": parent,
                },
            )
            created += made
    return created


def _fields(name, plain, types, keywords, limits, order) -> dict:
    r, ru, h, hu, ur, uru, uh, uhu = limits
    return {
        "name": name,
        "plain_description": plain,
        "appeal_types": list(types),
        "keywords": keywords,
        "response_limit": r,
        "response_unit": ru,
        "handling_limit": h,
        "handling_unit": hu,
        "urgent_response_limit": ur,
        "urgent_response_unit": uru,
        "urgent_handling_limit": uh,
        "urgent_handling_unit": uhu,
        "sort_order": order,
    }


def ensure_default_categories() -> int:
    from lianxin.cases.models import Category

    return ensure_categories(Category)
