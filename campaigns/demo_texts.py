"""The Vietnamese texts and tables the campaigns demo seeder draws from: names, notes, places, plans."""

from .models import ActivityFormat, GoodPracticeModel, Hotspot, ResultKind, Topic

REMEDIATION_NOTE = "Ban hành kế hoạch chuyển hóa địa bàn; tăng cường tuần tra, lập danh sách đối tượng để quản lý."
RESOLVED_NOTE = "Địa bàn đã được chuyển hóa: nhiều tháng liền không phát sinh vụ việc, nhân dân đồng tình."
STEMS = ["Canh", "Tân", "Nhâm", "Quý", "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ"]
BRANCHES = ["Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"]
# Centres of the pre-reform districts of Thái Nguyên (legacy codes): where a hotspot's pin goes, give or take.
DISTRICT_CENTRES = {
    "164": (21.594, 105.848),  # Thành phố Thái Nguyên
    "165": (21.488, 105.813),  # Thành phố Sông Công
    "167": (21.905, 105.640),  # Định Hóa
    "168": (21.760, 105.727),  # Phú Lương
    "169": (21.665, 105.920),  # Đồng Hỷ
    "170": (21.760, 106.060),  # Võ Nhai
    "171": (21.630, 105.640),  # Đại Từ
    "172": (21.420, 105.870),  # Phổ Yên
    "173": (21.480, 105.990),  # Phú Bình
}
K = Hotspot.Kind
# The offences (demo articles) that a hotspot of each kind draws; their crime lines are the hotspot's lines.
KIND_ARTICLES = {
    K.DRUGS: {"249", "251", "255"},
    K.GAMBLING: {"321", "322"},
    K.GANGS: {"134", "168", "171", "123"},
    K.TRAFFICKING: {"150"},
    K.THEFT: {"173", "171"},
    K.PROSTITUTION: set(),
    K.OTHER: {"227", "178"},
}
HOTSPOTS = [
    (K.DRUGS, "Bãi đất trống {hamlet}, {commune} – tụ điểm sử dụng trái phép chất ma túy"),
    (K.GAMBLING, "Khu đồi keo {hamlet}, {commune} – tụ điểm đánh bạc, sát phạt ăn tiền"),
    (K.THEFT, "Bãi gửi xe khu nhà trọ công nhân, {commune} – trộm cắp xe máy"),
    (K.DRUGS, "Khu nhà hoang ven suối {hamlet}, {commune} – tụ điểm tiêm chích ma túy"),
    (K.GANGS, "Khu vực cổng khu công nghiệp, {commune} – nhóm cho vay lãi nặng, đòi nợ thuê"),
    (K.PROSTITUTION, "Khu nhà nghỉ ven quốc lộ 3, {commune} – tụ điểm mại dâm trá hình"),
    (K.DRUGS, "Khu vực gầm cầu và bãi sông, {commune} – điểm mua bán lẻ trái phép chất ma túy"),
    (K.GAMBLING, "Quán nước gần chợ {short} – điểm ghi lô đề, cá độ bóng đá"),
    (K.THEFT, "Chợ {short} và khu vực xung quanh – trộm cắp, cướp giật tài sản"),
    (K.GANGS, "Quán bi-a, trò chơi điện tử {hamlet}, {commune} – nơi tụ tập của thanh thiếu niên mang hung khí"),
    (K.DRUGS, "Dãy phòng trọ {hamlet}, {commune} – nơi tổ chức sử dụng trái phép ma túy tổng hợp"),
    (K.TRAFFICKING, "Khu vực bến xe, {commune} – điểm môi giới việc làm trá hình, nguy cơ mua bán người"),
    (K.GAMBLING, "Lán trại giữa đồi chè {hamlet}, {commune} – tụ điểm đánh bạc dịp lễ, Tết"),
    (K.OTHER, "Bến bãi khai thác cát sỏi trái phép ven sông, {commune} – tranh chấp, gây rối trật tự"),
    (K.DRUGS, "Quán karaoke trên quốc lộ 3, {commune} – nơi sử dụng trái phép chất ma túy"),
    (K.THEFT, "Tuyến đường qua {hamlet}, {commune} – trộm cắp gia súc, tài sản ban đêm"),
    (K.GANGS, "Ngã ba {hamlet}, {commune} – nhóm thanh thiếu niên đua xe, gây rối trật tự công cộng"),
    (K.PROSTITUTION, "Cơ sở massage, gội đầu thư giãn {hamlet}, {commune} – hoạt động mại dâm trá hình"),
    (K.DRUGS, "Khu vực bãi thải mỏ cũ {hamlet}, {commune} – tụ điểm sử dụng trái phép chất ma túy"),
    (K.GAMBLING, "Khu vực bờ đê {hamlet}, {commune} – tụ điểm đánh bạc, chọi gà ăn tiền"),
]
KIND_DESCRIPTIONS = {
    K.DRUGS: "Đối tượng nghiện từ nơi khác đến tụ tập sử dụng trái phép chất ma túy, chủ yếu vào buổi tối; "
    "người dân nhiều lần phản ánh bơm kim tiêm vứt bừa bãi.",
    K.GAMBLING: "Các đối tượng tụ tập đánh bạc, sát phạt ăn tiền, bố trí người canh gác, cảnh giới; "
    "phức tạp hơn vào dịp lễ, Tết.",
    K.GANGS: "Nhóm đối tượng tụ tập, mang theo hung khí, gây gổ đánh nhau; có biểu hiện hoạt động tín dụng đen, "
    "đòi nợ thuê.",
    K.TRAFFICKING: "Đối tượng lôi kéo phụ nữ, thanh niên đi làm việc nhẹ lương cao ở nước ngoài; có dấu hiệu mua bán "
    "người.",
    K.THEFT: "Thường xảy ra trộm cắp xe máy, tài sản, cướp giật điện thoại của người dân và công nhân vào ban đêm.",
    K.PROSTITUTION: "Cơ sở kinh doanh dịch vụ lưu trú, massage có biểu hiện hoạt động mại dâm trá hình.",
    K.OTHER: "Khai thác cát sỏi trái phép, tranh giành bến bãi dẫn đến xô xát, gây rối trật tự công cộng.",
}
R = ResultKind
RESULT_NOTES = {
    R.WANTED_CAUGHT: "Bắt, vận động đầu thú {q} đối tượng truy nã",
    R.DRUGS_GRAMS: "Thu giữ {q} gam ma túy các loại (heroin, ma túy tổng hợp)",
    R.WEAPONS: "Thu giữ {q} vũ khí thô sơ, công cụ hỗ trợ",
    R.GANGS_BROKEN: "Triệt phá {q} băng, nhóm tội phạm",
    R.GAMBLING_DENS: "Triệt xóa {q} tụ điểm đánh bạc, ghi lô đề",
}
T, F = Topic, ActivityFormat
# (title, topics, (years before this year, month, day) of start and end, audience)
PROGRAMS = [
    ("Tuyên truyền phòng, chống ma túy giai đoạn {a}–{b}", [T.DRUGS, T.LEGAL_EDUCATION], (7, 3, 1), (6, 12, 31),
     "Thanh thiếu niên, học sinh, công nhân"),
    ("Tuyên truyền phòng, chống mua bán người giai đoạn {a}–{b}", [T.TRAFFICKING, T.CRIMINAL_TRICKS], (5, 1, 1),
     (4, 12, 31), "Phụ nữ, thanh niên vùng sâu, vùng xa"),
    ("Phong trào toàn dân bảo vệ an ninh Tổ quốc giai đoạn {a}–{b}", [T.ALL_PEOPLE_MOVEMENT, T.CRIMINAL_TRICKS],
     (4, 4, 1), (2, 12, 31), "Nhân dân các khu dân cư"),
    ("Phòng, chống lừa đảo trực tuyến, tội phạm công nghệ cao {a}–{b}", [T.CYBER_FRAUD, T.CRIMINAL_TRICKS],
     (2, 6, 1), (0, 6, 30), "Người dùng mạng xã hội, người cao tuổi, học sinh, sinh viên"),
    ("Tuyên truyền, giáo dục pháp luật về phòng, chống tội phạm năm {b}",
     [T.LEGAL_EDUCATION, T.DRUGS, T.ALL_PEOPLE_MOVEMENT], (0, 1, 1), (0, 12, 31), "Toàn thể nhân dân"),
]  # fmt: skip
ACTIVITIES_PER_DAY = 0.1
# format: (weight, audience range, materials range, note)
FORMATS = {
    F.MEETING: (35, (30, 500), (0, 300), "Hội nghị tuyên truyền tại nhà văn hóa {hamlet}"),
    F.LOUDSPEAKER: (15, (200, 1500), (0, 0), "Phát bài tuyên truyền trên hệ thống loa truyền thanh cơ sở"),
    F.BROADCAST: (6, (3000, 50000), (0, 0), "Phóng sự trên sóng phát thanh, truyền hình"),
    F.SOCIAL_MEDIA: (14, (800, 20000), (0, 0), "Bài viết, video trên trang Zalo, Facebook của Công an xã"),
    F.LEAFLETS: (15, (50, 400), (200, 2000), "Phát tờ rơi, tranh cổ động tại chợ và khu dân cư"),
    F.SCHOOL: (15, (80, 500), (50, 500), "Buổi ngoại khóa tại trường học trên địa bàn"),
}
G = GoodPracticeModel.Field
# (name, field, started days before today, days to recognition or None (pilot), replications, mark replicated)
MODELS = [
    ("Camera an ninh giám sát trật tự khu dân cư", G.CRIME_PREVENTION, 2100, 300, 4, True),
    ("Tổ tự quản phòng, chống ma túy ở khu dân cư", G.DRUGS, 1800, 240, 3, True),
    ("Phụ nữ tự bảo vệ, phòng, chống mua bán người", G.TRAFFICKING, 1400, 365, 1, True),
    ("Cổng trường an toàn giao thông", G.TRAFFIC, 900, 270, 0, False),
    ("Nhóm Zalo cảnh giác lừa đảo trực tuyến", G.CYBER, 700, 200, 0, False),
    ("Dòng họ không có người vi phạm pháp luật", G.CRIME_PREVENTION, 120, None, 0, False),
]
EVALUATIONS = [
    ("Mô hình phát huy hiệu quả, góp phần kiềm chế tội phạm trên địa bàn; đề nghị nhân rộng.", 5),
    ("Được nhân dân hưởng ứng; cần bố trí kinh phí duy trì và hướng dẫn cách làm cho các xã.", 4),
    ("Bước đầu có kết quả; tiếp tục theo dõi, đánh giá sau thời gian thí điểm.", None),
]
