// The built-in catalog is generated from small tables (brand x product line x model x variant)
// rather than listed, so the source stays short and the catalog stays stable: the same tables
// always yield the same products, ids and prices.
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include "generator/catalog.h"
#include "generator/random.h"

namespace saleslake::generator {
namespace {

// Variant sets: each line is sold in every variant of its set, at a price step per variant.
struct VariantSet {
  std::array<std::string_view, 3> names;  // empty entries are unused
  std::array<int, 3> price_percent;       // of the model's base price
};

constexpr VariantSet kNoVariants = {{""}, {100}};
constexpr VariantSet kPhoneStorage = {{"8GB/128GB", "8GB/256GB", "12GB/512GB"}, {100, 112, 135}};
constexpr VariantSet kAppleStorage = {{"128GB", "256GB", "512GB"}, {100, 111, 133}};
constexpr VariantSet kLaptopConfig = {{"16GB/512GB", "16GB/1TB"}, {100, 118}};
constexpr VariantSet kTabletConfig = {{"Wi-Fi 128GB", "5G 256GB"}, {100, 125}};
constexpr VariantSet kTvSize = {{"108 cm (43 inch)", "139 cm (55 inch)", "164 cm (65 inch)"},
                                {100, 155, 230}};
constexpr VariantSet kFridgeSize = {{"253 L", "340 L"}, {100, 128}};
constexpr VariantSet kWasherLoad = {{"7 kg", "8 kg"}, {100, 112}};
constexpr VariantSet kAcRating = {{"1.5 Ton 3 Star", "1.5 Ton 5 Star"}, {100, 115}};

// A product line: its models run from `low_mrp` (first model) to `high_mrp` (last), geometric.
struct Line {
  std::string_view category;
  std::string_view brand;
  std::string_view series;  // joined to the model as written: "Galaxy A" + "36" or "Bravia " + "7"
  std::array<std::string_view, 5> models;  // empty entries are unused
  int64_t low_mrp;
  int64_t high_mrp;
  const VariantSet* variants;
};

constexpr std::string_view kPhone = "Mobile Phone", kLaptop = "Laptop", kTablet = "Tablet",
                           kTv = "Television", kAudio = "Headphones", kFridge = "Refrigerator",
                           kWasher = "Washing Machine", kAc = "Air Conditioner";

constexpr Line kLines[] = {
    {kPhone,
     "Samsung",
     "Galaxy A",
     {"16 5G", "26 5G", "36 5G", "56 5G"},
     14999,
     41999,
     &kPhoneStorage},
    {kPhone, "Samsung", "Galaxy S", {"25", "25+", "25 Ultra"}, 79999, 129999, &kPhoneStorage},
    {kPhone, "Samsung", "Galaxy Z ", {"Flip7", "Fold7"}, 109999, 174999, &kNoVariants},
    {kPhone,
     "Apple",
     "iPhone ",
     {"16e", "16", "16 Plus", "16 Pro", "16 Pro Max"},
     59900,
     144900,
     &kAppleStorage},
    {kPhone, "OnePlus", "Nord ", {"CE5", "5"}, 24999, 31999, &kPhoneStorage},
    {kPhone, "OnePlus", "", {"13R", "13"}, 42999, 69999, &kPhoneStorage},
    {kPhone,
     "Xiaomi",
     "Redmi Note ",
     {"14 5G", "14 Pro 5G", "14 Pro+ 5G"},
     17999,
     29999,
     &kPhoneStorage},
    {kPhone, "Xiaomi", "", {"15", "15 Ultra"}, 64999, 109999, &kNoVariants},
    {kPhone, "Realme", "Narzo ", {"80x", "80 Pro"}, 12999, 19999, &kPhoneStorage},
    {kPhone, "Realme", "", {"14 Pro", "14 Pro+", "GT 7"}, 24999, 39999, &kPhoneStorage},
    {kPhone, "Vivo", "T", {"4x", "4", "4 Ultra"}, 13999, 35999, &kPhoneStorage},
    {kPhone, "Vivo", "V", {"50e", "50", "50 Pro"}, 28999, 49999, &kNoVariants},
    {kPhone, "Motorola", "Moto G", {"45", "85", "96"}, 10999, 19999, &kPhoneStorage},
    {kPhone, "Motorola", "Edge ", {"50 Neo", "60 Fusion", "60 Pro"}, 21999, 32999, &kNoVariants},
    {kLaptop, "Dell", "Inspiron ", {"14", "15", "16 Plus"}, 54990, 89990, &kLaptopConfig},
    {kLaptop, "Dell", "XPS ", {"13", "14", "16"}, 139990, 229990, &kNoVariants},
    {kLaptop, "HP", "Pavilion ", {"14", "15", "x360 14"}, 58999, 82999, &kLaptopConfig},
    {kLaptop, "HP", "Victus ", {"15", "16"}, 69999, 99999, &kLaptopConfig},
    {kLaptop, "HP", "Spectre ", {"x360 14", "x360 16"}, 149999, 189999, &kNoVariants},
    {kLaptop, "Lenovo", "IdeaPad Slim ", {"3", "5", "5 Pro"}, 44990, 84990, &kLaptopConfig},
    {kLaptop, "Lenovo", "ThinkPad ", {"E14", "T14", "X1 Carbon"}, 74990, 189990, &kNoVariants},
    {kLaptop, "Lenovo", "Legion ", {"5", "7"}, 129990, 199990, &kNoVariants},
    {kLaptop, "Asus", "Vivobook ", {"15", "16", "S14 OLED"}, 42990, 79990, &kLaptopConfig},
    {kLaptop, "Asus", "ROG Strix ", {"G16", "Scar 16"}, 149990, 299990, &kNoVariants},
    {kLaptop, "Acer", "Aspire ", {"3", "5", "7"}, 37999, 64999, &kLaptopConfig},
    {kLaptop, "Acer", "Nitro ", {"V 15", "16"}, 74999, 109999, &kNoVariants},
    {kLaptop,
     "Apple",
     "MacBook ",
     {"Air 13 M4", "Air 15 M4", "Pro 14 M4", "Pro 16 M4 Pro"},
     99900,
     249900,
     &kLaptopConfig},
    {kTablet,
     "Apple",
     "iPad ",
     {"11th Gen", "Air 11", "Air 13", "Pro 11", "Pro 13"},
     34900,
     129900,
     &kTabletConfig},
    {kTablet,
     "Samsung",
     "Galaxy Tab ",
     {"A9+", "S10 FE", "S10+", "S10 Ultra"},
     17999,
     108999,
     &kTabletConfig},
    {kTablet, "Xiaomi", "Pad ", {"7", "7 Pro"}, 26999, 32999, &kTabletConfig},
    {kTablet, "Lenovo", "Tab ", {"M11", "P12", "Plus"}, 15999, 27999, &kNoVariants},
    {kTablet, "OnePlus", "Pad ", {"Lite", "2", "3"}, 15999, 42999, &kNoVariants},
    {kTv, "Samsung", "Crystal 4K ", {"Vista", "Neo"}, 32990, 41990, &kTvSize},
    {kTv, "Samsung", "Neo QLED ", {"QN85", "QN90"}, 79990, 119990, &kTvSize},
    {kTv, "Sony", "Bravia ", {"2", "3", "7", "8 OLED"}, 42990, 149990, &kTvSize},
    {kTv, "LG", "UHD ", {"UR75", "UT80"}, 31990, 36990, &kTvSize},
    {kTv, "LG", "OLED ", {"B4", "C4", "G4"}, 119990, 229990, &kNoVariants},
    {kTv, "TCL", "QLED ", {"C61B", "C72K", "C81K"}, 26990, 54990, &kTvSize},
    {kAudio, "Sony", "WH ", {"CH520", "CH720N", "1000XM5", "1000XM6"}, 4490, 39990, &kNoVariants},
    {kAudio, "Sony", "WF ", {"C510", "1000XM5"}, 4990, 24990, &kNoVariants},
    {kAudio, "Apple", "AirPods ", {"4", "4 ANC", "Pro 2", "Max"}, 12900, 59900, &kNoVariants},
    {kAudio, "Samsung", "Galaxy Buds ", {"FE", "3", "3 Pro"}, 8999, 19999, &kNoVariants},
    {kAudio,
     "boAt",
     "Airdopes ",
     {"141", "161", "311 Pro", "Alpha", "Prime 701"},
     1299,
     3999,
     &kNoVariants},
    {kAudio, "boAt", "Rockerz ", {"255 Pro+", "450", "551 ANC"}, 1499, 4999, &kNoVariants},
    {kAudio, "JBL", "Tune ", {"520BT", "720BT", "Beam 2", "Flex"}, 3999, 7999, &kNoVariants},
    {kAudio, "JBL", "Live ", {"670NC", "Beam 3", "770NC"}, 9999, 14999, &kNoVariants},
    {kAudio,
     "Sennheiser",
     "Momentum ",
     {"4 Wireless", "True Wireless 4"},
     24990,
     34990,
     &kNoVariants},
    {kAudio, "Sennheiser", "Accentum ", {"Wireless", "Plus"}, 12990, 17990, &kNoVariants},
    {kAudio, "OnePlus", "Buds ", {"Nord 3", "3", "Pro 3"}, 2299, 11999, &kNoVariants},
    {kFridge,
     "Samsung",
     "Bespoke ",
     {"Frost Free Double Door", "Side by Side"},
     34990,
     109990,
     &kFridgeSize},
    {kFridge,
     "LG",
     "Smart Inverter ",
     {"Direct Cool", "Frost Free", "Convertible"},
     18990,
     46990,
     &kFridgeSize},
    {kFridge,
     "Whirlpool",
     "IntelliFresh ",
     {"Direct Cool", "Frost Free", "Pro"},
     16990,
     39990,
     &kFridgeSize},
    {kFridge, "Godrej", "Edge ", {"Direct Cool", "Frost Free"}, 14990, 29990, &kFridgeSize},
    {kFridge,
     "Haier",
     "",
     {"Direct Cool", "Convertible Frost Free", "Side by Side"},
     15990,
     89990,
     &kFridgeSize},
    {kWasher,
     "LG",
     "",
     {"Semi Automatic", "Top Load", "Front Load AI DD"},
     14990,
     45990,
     &kWasherLoad},
    {kWasher, "Samsung", "EcoBubble ", {"Top Load", "Front Load"}, 24990, 41990, &kWasherLoad},
    {kWasher, "Bosch", "Series ", {"4 Front Load", "6 Front Load"}, 33990, 52990, &kWasherLoad},
    {kWasher,
     "IFB",
     "",
     {"Senorita Front Load", "Executive Front Load"},
     31990,
     47990,
     &kWasherLoad},
    {kWasher,
     "Whirlpool",
     "",
     {"Ace Semi Automatic", "Stainwash Top Load", "Supreme Care Front Load"},
     11990,
     38990,
     &kWasherLoad},
    {kAc, "Voltas", "Split Inverter ", {"Vectra", "Adjustable"}, 36990, 44990, &kAcRating},
    {kAc, "Daikin", "Split Inverter ", {"MTKL", "FTKM"}, 42990, 52990, &kAcRating},
    {kAc, "Blue Star", "Split Inverter ", {"IA", "IC"}, 38990, 47990, &kAcRating},
    {kAc,
     "LG",
     "DUAL Inverter ",
     {"AI Convertible 6-in-1", "Super Convertible"},
     41990,
     49990,
     &kAcRating},
    {kAc, "Godrej", "Split Inverter ", {"5-in-1 Convertible"}, 33990, 33990, &kAcRating},
    {kAc, "Whirlpool", "Magicool ", {"Convert", "Pro"}, 31990, 36990, &kAcRating},
};

struct StoreSeed {
  std::string_view area;
  std::string_view format;  // the kind of store, which completes its name
  std::string_view city;
};

constexpr StoreSeed kStores[] = {
    {"Koramangala", "Megastore", "Bengaluru"},
    {"Indiranagar", "Store", "Bengaluru"},
    {"Whitefield", "Experience Centre", "Bengaluru"},
    {"Bandra West", "Store", "Mumbai"},
    {"Andheri East", "Megastore", "Mumbai"},
    {"Thane West", "Store", "Thane"},
    {"Lajpat Nagar", "Store", "New Delhi"},
    {"Rajouri Garden", "Megastore", "New Delhi"},
    {"Cyber Hub", "Experience Centre", "Gurugram"},
    {"Sector 18", "Store", "Noida"},
    {"Anna Nagar", "Megastore", "Chennai"},
    {"T. Nagar", "Store", "Chennai"},
    {"Banjara Hills", "Store", "Hyderabad"},
    {"HITEC City", "Megastore", "Hyderabad"},
    {"Salt Lake", "Megastore", "Kolkata"},
    {"Park Street", "Store", "Kolkata"},
    {"Koregaon Park", "Store", "Pune"},
    {"Hinjewadi", "Megastore", "Pune"},
    {"Navrangpura", "Store", "Ahmedabad"},
    {"C-Scheme", "Store", "Jaipur"},
    {"Hazratganj", "Store", "Lucknow"},
    {"Sector 17", "Store", "Chandigarh"},
    {"MG Road", "Store", "Kochi"},
    {"Vijay Nagar", "Store", "Indore"},
    {"Sitabuldi", "Store", "Nagpur"},
    {"Alkapuri", "Store", "Vadodara"},
    {"RS Puram", "Store", "Coimbatore"},
    {"Saheed Nagar", "Store", "Bhubaneswar"},
    {"Panjim", "Store", "Goa"},
    {"GS Road", "Store", "Guwahati"},
};

// Rounds to a retail-looking MRP: ...999 below a lakh-ish, ...990 for appliances and TVs.
int64_t RetailRound(double rupees, bool ends_in_990) {
  if (ends_in_990) return std::max<int64_t>(990, std::llround(rupees / 1000.0) * 1000 - 10);
  if (rupees < 5000) return std::max<int64_t>(99, std::llround(rupees / 100.0) * 100 - 1);
  return std::llround(rupees / 1000.0) * 1000 - 1;
}

std::vector<table::Product> BuildProducts() {
  std::vector<table::Product> products;
  Rng rng(0x5a1e51a4e);  // fixed: the built-in margins never change between builds
  for (const Line& line : kLines) {
    int models = 0;
    while (models < 5 && !line.models[models].empty()) ++models;
    for (int m = 0; m < models; ++m) {
      const double t = models == 1 ? 0.0 : static_cast<double>(m) / (models - 1);
      const double base = static_cast<double>(line.low_mrp) *
                          std::pow(static_cast<double>(line.high_mrp) / line.low_mrp, t);
      for (size_t v = 0; v < 3 && (v == 0 || !line.variants->names[v].empty()); ++v) {
        table::Product p;
        std::string_view variant = line.variants->names[v];
        p.product_name = fmt::format("{} {}{}{}{}", line.brand, line.series, line.models[m],
                                     variant.empty() ? "" : " ", variant);
        p.category = std::string(line.category);
        p.brand = std::string(line.brand);
        const bool ends_in_990 = line.low_mrp % 10 == 0;
        p.mrp_rupees = RetailRound(base * line.variants->price_percent[v] / 100.0, ends_in_990);
        // The store's cost: 78-92% of MRP, with paise (distributors price to the paisa).
        const int64_t margin_basis_points = 7800 + static_cast<int64_t>(rng.Below(1400));
        p.retail_price_paise = p.mrp_rupees * margin_basis_points / 100;
        p.retail_price_paise =
            p.retail_price_paise / 100 * 100 + static_cast<int64_t>(rng.Below(100));
        p.product_id = fmt::format("P{:04}", products.size() + 1);
        products.push_back(std::move(p));
      }
    }
  }
  return products;
}

std::vector<table::Store> BuildStores() {
  std::vector<table::Store> stores;
  for (const StoreSeed& s : kStores) {
    stores.push_back(table::Store{fmt::format("S{:03}", stores.size() + 1),
                                  fmt::format("{} {}", s.area, s.format), std::string(s.city)});
  }
  return stores;
}

}  // namespace

std::shared_ptr<const Catalog> BuiltinCatalog() {
  static const std::shared_ptr<const Catalog> catalog = [] {
    Result<Catalog> built = Catalog::Create(BuildProducts(), BuildStores());
    // The tables above are ours and fixed; a failure here is a bug caught by the unit tests.
    if (!built.ok()) std::abort();
    return std::make_shared<const Catalog>(std::move(built).value());
  }();
  return catalog;
}

Result<std::shared_ptr<const Catalog>> LoadCatalogFiles(const std::string& products_path,
                                                        const std::string& stores_path) {
  SL_ASSIGN_OR_RETURN(Catalog catalog, table::LoadReferenceCatalog(products_path, stores_path));
  return std::make_shared<const Catalog>(std::move(catalog));
}

}  // namespace saleslake::generator
