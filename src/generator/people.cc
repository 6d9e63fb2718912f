#include "generator/people.h"

#include <array>
#include <cstring>
#include <string>

namespace saleslake::generator {
namespace {

// Given names common across India's regions; ASCII transliterations, one word each.
constexpr std::string_view kFirstNames[] = {
    "Aarav",    "Aditi",     "Aditya",   "Akash",    "Akshay",  "Amit",     "Ananya",  "Anil",
    "Anita",    "Anjali",    "Ankit",    "Ankita",   "Anup",    "Arjun",    "Arun",    "Aruna",
    "Ashok",    "Ayesha",    "Bhavna",   "Chetan",   "Deepa",   "Deepak",   "Devika",  "Dhruv",
    "Divya",    "Farhan",    "Gaurav",   "Geeta",    "Gopal",   "Harini",   "Harish",  "Hemant",
    "Ishaan",   "Isha",      "Jaya",     "Jayesh",   "Kabir",   "Kalpana",  "Karan",   "Kavita",
    "Kavya",    "Kiran",     "Krishna",  "Kunal",    "Lakshmi", "Lata",     "Madhav",  "Mahesh",
    "Manish",   "Manoj",     "Meena",    "Meera",    "Mohan",   "Mohit",    "Nandini", "Naveen",
    "Neha",     "Nikhil",    "Nisha",    "Nitin",    "Pallavi", "Pankaj",   "Pooja",   "Pradeep",
    "Prakash",  "Pranav",    "Priya",    "Rahul",    "Rajesh",  "Rakesh",   "Ramesh",  "Ravi",
    "Reena",    "Rekha",     "Riya",     "Rohan",    "Rohit",   "Rupali",   "Sachin",  "Sahil",
    "Sakshi",   "Sameer",    "Sandeep",  "Sanjay",   "Sapna",   "Sarita",   "Shalini", "Shreya",
    "Shruti",   "Siddharth", "Simran",   "Sneha",    "Sonal",   "Sunil",    "Sunita",  "Suresh",
    "Swati",    "Tanvi",     "Tarun",    "Uday",     "Usha",    "Varun",    "Vidya",   "Vijay",
    "Vikram",   "Vinay",     "Vineeta",  "Vishal",   "Yash",    "Zoya",     "Imran",   "Salma",
    "Gurpreet", "Harpreet",  "Manpreet", "Jaspreet", "Ritu",    "Tanya",    "Venkat",  "Srinivas",
    "Lalitha",  "Murali",    "Bhargav",  "Keerthi",  "Sowmya",  "Abhishek", "Ishita",  "Parth",
    "Aniket",   "Mitali",    "Joseph",   "Mary",     "Thomas",  "Anand",
};

constexpr std::string_view kLastNames[] = {
    "Sharma",    "Verma",       "Gupta",     "Agarwal",  "Singh",    "Kumar",      "Patel",
    "Shah",      "Mehta",       "Desai",     "Joshi",    "Kulkarni", "Deshpande",  "Patil",
    "Pawar",     "Jadhav",      "Chavan",    "Naik",     "Reddy",    "Rao",        "Naidu",
    "Chowdary",  "Iyer",        "Iyengar",   "Krishnan", "Nair",     "Menon",      "Pillai",
    "Kurian",    "Varghese",    "Thomas",    "Mathew",   "Banerjee", "Chatterjee", "Mukherjee",
    "Bose",      "Ghosh",       "Das",       "Dutta",    "Sen",      "Roy",        "Saha",
    "Mishra",    "Tiwari",      "Pandey",    "Dubey",    "Shukla",   "Tripathi",   "Srivastava",
    "Saxena",    "Chauhan",     "Rathore",   "Rajput",   "Yadav",    "Thakur",     "Bhatt",
    "Trivedi",   "Chaudhary",   "Malhotra",  "Kapoor",   "Khanna",   "Chopra",     "Arora",
    "Bhatia",    "Sethi",       "Ahuja",     "Gill",     "Sandhu",   "Dhillon",    "Grewal",
    "Khan",      "Sheikh",      "Qureshi",   "Ansari",   "Siddiqui", "Mohanty",    "Panda",
    "Behera",    "Sahoo",       "Hegde",     "Shetty",   "Kamath",   "Pai",        "Bhat",
    "Gowda",     "Subramanian", "Venkatesh", "Raman",    "Murthy",   "Prasad",     "Sinha",
    "Jha",       "Bajaj",       "Goyal",     "Mittal",   "Jain",     "Bansal",     "Kaur",
    "Fernandes", "DSouza",
};

// Weighted by repetition: most Indian consumer addresses are on a handful of providers.
constexpr std::string_view kDomains[] = {"gmail.com",   "yahoo.co.in",    "outlook.com",
                                         "hotmail.com", "rediffmail.com", "yahoo.com",
                                         "icloud.com",  "proton.me"};
constexpr std::array<uint8_t, 16> kDomainDraw = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7};

char* Copy(std::string_view s, char* out) {
  std::memcpy(out, s.data(), s.size());
  return out + s.size();
}

// Lower-case copies of the name lists, for e-mail local parts (the lists are ASCII letters).
template <size_t N>
struct LowerNames {
  explicit LowerNames(const std::string_view (&names)[N]) {
    for (size_t i = 0; i < N; ++i) {
      text[i].assign(names[i]);
      for (char& c : text[i]) c = static_cast<char>(c | 0x20);
    }
  }
  std::array<std::string, N> text;
};

const auto& LowerFirst() {
  static const LowerNames lower(kFirstNames);
  return lower.text;
}
const auto& LowerLast() {
  static const LowerNames lower(kLastNames);
  return lower.text;
}

char* CopyDigits(unsigned n, int width, char* out) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + n % 10);
    n /= 10;
  }
  return out + width;
}

}  // namespace

std::span<const std::string_view> FirstNames() { return kFirstNames; }
std::span<const std::string_view> LastNames() { return kLastNames; }
std::span<const std::string_view> EmailDomains() { return kDomains; }

Customer DrawCustomer(Rng& rng) {
  // One draw feeds every choice: 16 + 16 + 3 + 4 + 14 bits from disjoint parts of the word.
  const uint64_t x = rng.Next();
  Customer c;
  c.first = static_cast<uint16_t>(((x & 0xffff) * std::size(kFirstNames)) >> 16);
  c.last = static_cast<uint16_t>((((x >> 16) & 0xffff) * std::size(kLastNames)) >> 16);
  c.pattern = static_cast<uint8_t>((x >> 32) & 7);
  c.domain = kDomainDraw[(x >> 35) & 15];
  c.number = static_cast<uint16_t>((((x >> 40) & 0x3fff) * 10000) >> 14);
  return c;
}

char* WriteCustomerName(const Customer& c, char* out) {
  out = Copy(kFirstNames[c.first], out);
  *out++ = ' ';
  return Copy(kLastNames[c.last], out);
}

char* WriteCustomerEmail(const Customer& c, char* out) {
  const std::string_view first = LowerFirst()[c.first];
  const std::string_view last = LowerLast()[c.last];
  switch (c.pattern) {
    case 0:  // aarav.sharma@
      out = Copy(first, out);
      *out++ = '.';
      out = Copy(last, out);
      break;
    case 1:  // aaravsharma@
      out = Copy(first, out);
      out = Copy(last, out);
      break;
    case 2:  // aarav.sharma42@
      out = Copy(first, out);
      *out++ = '.';
      out = Copy(last, out);
      out = CopyDigits(c.number % 100, 2, out);
      break;
    case 3:  // aarav_sharma@
      out = Copy(first, out);
      *out++ = '_';
      out = Copy(last, out);
      break;
    case 4:  // asharma@
      out = Copy(first.substr(0, 1), out);
      out = Copy(last, out);
      break;
    case 5:  // aarav1994@ (a birth year)
      out = Copy(first, out);
      out = CopyDigits(1960 + c.number % 47, 4, out);
      break;
    case 6:  // sharma.aarav@
      out = Copy(last, out);
      *out++ = '.';
      out = Copy(first, out);
      break;
    default:  // aaravs123@
      out = Copy(first, out);
      out = Copy(last.substr(0, 1), out);
      out = CopyDigits(c.number % 1000, 3, out);
      break;
  }
  *out++ = '@';
  return Copy(kDomains[c.domain], out);
}

}  // namespace saleslake::generator
