//! One test per labelling rule of the corpus README, with texts written for these tests.

use domain::catalog::{Catalog, Fact};
use domain::comment::{Context, analyze};

fn ents(text: &str) -> Vec<(Fact, String)> {
    let catalog = Catalog::builtin();
    analyze(text, &Context::new(&catalog))
        .entities
        .into_iter()
        .map(|e| (e.kind, e.value))
        .collect()
}

fn e(kind: Fact, v: &str) -> (Fact, String) {
    (kind, v.to_string())
}

use Fact::{Amount, Article, Barcode, Date, Order, Report, Supply, VendorCode};

#[test]
fn report_numbers_after_report_words_in_any_case_form() {
    assert_eq!(ents("Ошибка в отчёте № 198765"), [e(Report, "198765")]);
    assert_eq!(
        ents("отчет №243998121 не сходится"),
        [e(Report, "243998121")]
    );
    assert_eq!(
        ents("Сверьте отчёты 239876541 и 240112359, пожалуйста"),
        [e(Report, "239876541"), e(Report, "240112359")]
    );
    assert_eq!(
        ents("Еженедельный отчет реализации 246112011 пустой"),
        [e(Report, "246112011")]
    );
}

#[test]
fn report_word_followed_by_a_small_number_is_not_a_report() {
    assert!(ents("отчёт о продажах возвращает 204 на этот запрос").is_empty());
    assert!(ents("отчёт за 2023 год не скачивается").is_empty());
}

#[test]
fn supply_numbers_including_typos_and_fbs_ids() {
    assert_eq!(
        ents("поставка 21573399 не принята"),
        [e(Supply, "21573399")]
    );
    assert_eq!(ents("№ поставки 23894100"), [e(Supply, "23894100")]);
    assert_eq!(
        ents("пставку №22345600 так и не приняли"),
        [e(Supply, "22345600")]
    );
    assert_eq!(
        ents("Отгрузили WB-GI-55512345 вчера"),
        [e(Supply, "WB-GI-55512345")]
    );
    assert_eq!(
        ents("Поставка WB-GI-12345 6789 висит"),
        [e(Supply, "WB-GI-123456789")]
    );
}

#[test]
fn delivery_and_supplier_words_are_not_supply_keywords() {
    assert!(ents("переведите в доставку 12345678 раз").is_empty());
    assert!(ents("поставщик 12345678 не отвечает").is_empty());
}

#[test]
fn orders_and_assembly_tasks_with_lists() {
    assert_eq!(
        ents("Сборочное задание 1843270001 отменено"),
        [e(Order, "1843270001")]
    );
    assert_eq!(ents("СЗ 1843270002 висит"), [e(Order, "1843270002")]);
    assert_eq!(ents("заказ №67891 не оплачен"), [e(Order, "67891")]);
    assert_eq!(
        ents("orders 1776540001 and 1776540002 are late"),
        [e(Order, "1776540001"), e(Order, "1776540002")]
    );
    assert_eq!(
        ents("Задания в корзине:\n1954320001\n1954320002\nне уходят"),
        [e(Order, "1954320001"), e(Order, "1954320002")]
    );
    assert_eq!(
        ents("Задания, которые не печатаются: 1901230001, 1901230002."),
        [e(Order, "1901230001"), e(Order, "1901230002")]
    );
}

#[test]
fn barcodes_after_keywords_whatever_the_checksum() {
    // 2008500000231 fails the EAN-13 check; a named barcode is kept anyway.
    assert_eq!(
        ents("баркод 2008500000231 не найден"),
        [e(Barcode, "2008500000231")]
    );
    assert_eq!(
        ents("ШК 4607001234562 — 2 шт."),
        [e(Barcode, "4607001234562")]
    );
    assert_eq!(
        ents("штрих-код 4607001234579 не читается"),
        [e(Barcode, "4607001234579")]
    );
    assert_eq!(
        ents(r#"skus ["2000000041261"]"#),
        [e(Barcode, "2000000041261")]
    );
}

#[test]
fn bare_thirteen_digits_are_a_barcode_only_with_a_valid_check_digit() {
    assert_eq!(
        ents("пришёл не тот товар: 4607001234562"),
        [e(Barcode, "4607001234562")]
    );
    assert!(ents("пришёл не тот товар: 4607001234568").is_empty());
    assert!(ents("ОГРН 1027700132195 указан верно").is_empty());
}

#[test]
fn articles_in_all_their_spellings() {
    assert_eq!(ents("артикул 13334999"), [e(Article, "13334999")]);
    assert_eq!(
        ents("арт. 154321000 и арт 156789000"),
        [e(Article, "154321000"), e(Article, "156789000")]
    );
    assert_eq!(
        ents("Артикул WB 123456789 скрыт"),
        [e(Article, "123456789")]
    );
    assert_eq!(ents("nmId: 389500001"), [e(Article, "389500001")]);
    assert_eq!(ents("nm_id 389500002"), [e(Article, "389500002")]);
    assert_eq!(
        ents("по номенклатуре 163450001 нет продаж"),
        [e(Article, "163450001")]
    );
    assert_eq!(ents("по артиклу 189020001"), [e(Article, "189020001")]);
    assert_eq!(
        ents("в карточке 201340001 пропали фото"),
        [e(Article, "201340001")]
    );
    assert_eq!(
        ents("https://www.wildberries.ru/catalog/201340002/detail.aspx не открывается"),
        [e(Article, "201340002")]
    );
    assert_eq!(
        ents("артикулы: 145670001, 145670002; 145670003"),
        [
            e(Article, "145670001"),
            e(Article, "145670002"),
            e(Article, "145670003")
        ]
    );
}

#[test]
fn vendor_codes_as_written() {
    assert_eq!(
        ents("артикул продавца ABC-777-white"),
        [e(VendorCode, "ABC-777-white")]
    );
    assert_eq!(
        ents(r#"vendorCode "KLM55501XL""#),
        [e(VendorCode, "KLM55501XL")]
    );
    assert_eq!(
        ents("у нас артикул TR-12-3, его нет"),
        [e(VendorCode, "TR-12-3")]
    );
    assert_eq!(ents("артикул продавца 1918000"), [e(VendorCode, "1918000")]);
    // A valid EAN-13 named as the seller's article stays a vendor code.
    assert_eq!(
        ents("артикул продавца 2049968653871"),
        [e(VendorCode, "2049968653871")]
    );
    assert_eq!(
        ents("артикул 198273001 (артикул продавца DR-1-red)"),
        [e(Article, "198273001"), e(VendorCode, "DR-1-red")]
    );
}

#[test]
fn dates_in_every_written_form() {
    assert_eq!(ents("от 05.03.2024"), [e(Date, "2024-03-05")]);
    assert_eq!(ents("от 5.3.24"), [e(Date, "2024-03-05")]);
    assert_eq!(ents("slot 2024-03-28"), [e(Date, "2024-03-28")]);
    assert_eq!(ents("25 апреля 2024 г."), [e(Date, "2024-04-25")]);
    assert_eq!(ents("3 янв. 2025"), [e(Date, "2025-01-03")]);
    assert_eq!(
        ents("запрос от 22.12.2025 17:48:05"),
        [e(Date, "2025-12-22")]
    );
    assert_eq!(
        ents("dateFrom=2025-12-01&dateTo=2025-12-07"),
        [e(Date, "2025-12-01"), e(Date, "2025-12-07")]
    );
}

#[test]
fn date_ranges_give_both_ends() {
    assert_eq!(
        ents("с 01.05.2024 по 07.05.2024"),
        [e(Date, "2024-05-01"), e(Date, "2024-05-07")]
    );
    assert_eq!(
        ents("10.06.2024–16.06.2024"),
        [e(Date, "2024-06-10"), e(Date, "2024-06-16")]
    );
    assert_eq!(
        ents("за 08-14.07.2024"),
        [e(Date, "2024-07-08"), e(Date, "2024-07-14")]
    );
    assert_eq!(
        ents("с 3 по 9 июня 2024"),
        [e(Date, "2024-06-03"), e(Date, "2024-06-09")]
    );
    assert_eq!(
        ents("с 01.08 по 07.08.2024"),
        [e(Date, "2024-08-01"), e(Date, "2024-08-07")]
    );
}

#[test]
fn no_year_no_date() {
    assert!(ents("25 апреля загрузили").is_empty());
    assert!(ents("с 1 мая не работает").is_empty());
    assert!(ents("вчера и сегодня").is_empty());
    assert!(ents("в марте 2024 и в 2023 году").is_empty());
    assert!(ents("31.02.2024 такого дня нет").is_empty());
}

#[test]
fn amounts_normalised() {
    assert_eq!(ents("штраф 2 000 р."), [e(Amount, "2000")]);
    assert_eq!(ents("списали 10\u{202F}000 ₽"), [e(Amount, "10000")]);
    assert_eq!(
        ents("к перечислению 48 312,40 руб."),
        [e(Amount, "48312.40")]
    );
    assert_eq!(ents("итог 1\u{A0}499,50\u{A0}₽"), [e(Amount, "1499.50")]);
    assert_eq!(ents("продажа 1499.50 руб"), [e(Amount, "1499.50")]);
    assert_eq!(ents("2 340,00 руб."), [e(Amount, "2340.00")]);
    assert_eq!(ents("15 тыс. руб."), [e(Amount, "15000")]);
    assert_eq!(ents("7,5 тыс. ₽"), [e(Amount, "7500")]);
    assert_eq!(ents("1000 копеек (10 рублей)"), [e(Amount, "10")]);
    assert_eq!(ents("1 500 000 рублей"), [e(Amount, "1500000")]);
    assert_eq!(ents("2000р за логистику"), [e(Amount, "2000")]);
}

#[test]
fn money_nouns_take_their_direct_number() {
    assert_eq!(ents("дневной бюджет был 4500."), [e(Amount, "4500")]);
    assert_eq!(ents("Штраф 3000 за подмену"), [e(Amount, "3000")]);
    assert!(ents("штраф 100% стоимости").is_empty());
    assert!(ents("стоимость 2 шт. выросла").is_empty());
}

#[test]
fn non_identifiers_are_never_labelled() {
    for text in [
        "отгрузили 12 шт. и 3 коробки",
        "размеры 42-44 и 46-48, рост 170-176",
        "габариты 60×40×40 см, вес 1,2 кг",
        "скидка 25%, коэффициент x5",
        "телефон +7 916 123-45-67, 8 (912) 345-67-89",
        "номер авто А123ВС 750",
        "приехали к 10:00",
        "в 2023 году и март 2024",
        "ИНН 7712345678, ОГРН 1027700132195, БИК 044525225, р/с 40702810938000012345",
        "склад ID 746293, subjectID 5283",
        "рекламная кампания 18234567 на паузе",
        "стикер 231648 9753",
        "заявка 7712 на возврат",
        "УПД № 1843, акт № 77, платёжное поручение № 512",
        "декларация № 12345678",
        "ID платежа 7000123456789012",
        "лимит 300 запросов в минуту",
    ] {
        assert!(ents(text).is_empty(), "{text}: {:?}", ents(text));
    }
}

#[test]
fn whitespace_variants_case_and_yo_are_normalised() {
    assert_eq!(ents("ОТЧЁТ\u{2009}№\u{00A0}151500"), [e(Report, "151500")]);
    assert_eq!(ents("ПОСТАВКА\u{202F}21573300"), [e(Supply, "21573300")]);
}

#[test]
fn pairs_are_unique_and_in_order_of_first_appearance() {
    assert_eq!(
        ents("удержали 1 200 руб. по отчёту 247001900, потом ещё 1 200 руб."),
        [e(Amount, "1200"), e(Report, "247001900")]
    );
}

#[test]
fn a_date_may_sit_between_keyword_and_number() {
    assert_eq!(
        ents("поставка от 12.02.2024 № 21573355"),
        [e(Date, "2024-02-12"), e(Supply, "21573355")]
    );
    assert_eq!(
        ents("поставка от 12.02.2024 на 5 коробов"),
        [e(Date, "2024-02-12")]
    );
}

#[test]
fn both_ends_of_a_ruble_range_are_amounts() {
    assert_eq!(
        ents("логистика выросла с 50 до 120 рублей"),
        [e(Amount, "50"), e(Amount, "120")]
    );
    assert_eq!(
        ents("цена 1 000–1 500 ₽"),
        [e(Amount, "1000"), e(Amount, "1500")]
    );
    assert_eq!(
        ents("ШК 4607001234562 — 300 руб."),
        [e(Barcode, "4607001234562"), e(Amount, "300")]
    );
}
