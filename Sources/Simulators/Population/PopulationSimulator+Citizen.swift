// SPDX-License-Identifier: Apache-2.0
import Domain
import Foundation

extension PopulationSimulator {
    /// One person as the population database answers `GET /citizens/{soDinhDanh}`.
    ///
    /// Swift names are English; the coding keys are the contract's own field names, so encoding
    /// this struct produces the wire format and a file of them is what `--file` reads.
    public struct Citizen: Codable, Sendable, Hashable {
        public enum Sex: Int, Codable, Sendable, Hashable {
            case male = 1
            case female = 2
        }

        /// An address: new (2025) province and commune unit codes, and the human-readable detail.
        public struct Address: Codable, Sendable, Hashable {
            public var provinceCode: String
            public var communeCode: String
            public var detail: String

            public init(provinceCode: String, communeCode: String, detail: String) {
                self.provinceCode = provinceCode
                self.communeCode = communeCode
                self.detail = detail
            }

            enum CodingKeys: String, CodingKey {
                case provinceCode = "MaTinh"
                case communeCode = "MaXa"
                case detail = "ChiTiet"
            }
        }

        public var idNumber: String
        public var fullName: String
        public var birthDate: LocalDate
        public var sex: Sex
        public var nationality: String
        public var ethnicity: String
        public var permanentAddress: Address
        public var currentAddress: Address
        public var isHouseholdHead: Bool

        public init(
            idNumber: String, fullName: String, birthDate: LocalDate, sex: Sex, nationality: String = "Việt Nam",
            ethnicity: String = "Kinh", permanentAddress: Address, currentAddress: Address? = nil, isHouseholdHead: Bool
        ) {
            self.idNumber = idNumber
            self.fullName = fullName
            self.birthDate = birthDate
            self.sex = sex
            self.nationality = nationality
            self.ethnicity = ethnicity
            self.permanentAddress = permanentAddress
            self.currentAddress = currentAddress ?? permanentAddress
            self.isHouseholdHead = isHouseholdHead
        }

        enum CodingKeys: String, CodingKey {
            case idNumber = "SoDinhDanh"
            case fullName = "HoVaTen"
            case birthDate = "NgaySinh"
            case sex = "GioiTinh"
            case nationality = "QuocTich"
            case ethnicity = "DanToc"
            case permanentAddress = "NoiThuongTru"
            case currentAddress = "NoiOHienTai"
            case isHouseholdHead = "ChuHo"
        }

        /// Why this record could not be a real person's, or nil. The number must pass
        /// ``PersonalID/validate(_:currentYear:)``, and its century/sex digit and birth year must
        /// agree with the sex and birth date (DOMAIN.md §9), so a loaded file cannot contradict itself.
        public func problem(currentYear: Int) -> String? {
            if let p = PersonalID.validate(idNumber, currentYear: currentYear) { return "SoDinhDanh \(idNumber): \(p.message)" }
            let digits = idNumber.utf8.map { Int($0) - 48 }
            let g = digits[3]
            let century = g < 2 ? 1900 : 2000
            let expectedSex: Sex = g % 2 == 0 ? .male : .female
            let year = century + digits[4] * 10 + digits[5]
            if sex != expectedSex { return "SoDinhDanh \(idNumber): digit \(g) means \(expectedSex), GioiTinh says \(sex)" }
            if birthDate.year != year { return "SoDinhDanh \(idNumber): digits say born in \(year), NgaySinh says \(birthDate)" }
            if fullName.trimmingCharacters(in: .whitespaces).isEmpty { return "SoDinhDanh \(idNumber): HoVaTen is empty" }
            return nil
        }
    }

    /// Fixed people every simulator serves whatever its seed, for tests, the demo and the README.
    ///
    /// `001090012345` is the number the demo and many tests already use; its fourth digit 0 means
    /// a man born in the 1900s, so it belongs to Lê Văn Đạt (born 1990). The demo citizen Phạm Thị
    /// Hoa, a woman born in 1990, needs digit 1: `001190012345`. Most live in the demo province
    /// Sơn Hà (unit code 99, communes 99001 phường Sơn Hà, 99004 phường Hòa Bình, 99007 xã Tân Lập).
    public static let wellKnown: [Citizen] = {
        let sonHa = Citizen.Address(provinceCode: "99", communeCode: "99001", detail: "Số 12 đường Lê Lợi, phường Sơn Hà, tỉnh Sơn Hà")
        let tanLap = Citizen.Address(provinceCode: "99", communeCode: "99007", detail: "Thôn Đông, xã Tân Lập, tỉnh Sơn Hà")
        let hoaBinh = Citizen.Address(provinceCode: "99", communeCode: "99004", detail: "Số 45 đường Nguyễn Trãi, phường Hòa Bình, tỉnh Sơn Hà")
        return [
            Citizen(
                idNumber: "001190012345", fullName: "Phạm Thị Hoa", birthDate: LocalDate(year: 1990, month: 5, day: 12)!, sex: .female,
                permanentAddress: sonHa, isHouseholdHead: true),
            Citizen(
                idNumber: "001322004567", fullName: "Phạm Ngọc Anh", birthDate: LocalDate(year: 2022, month: 1, day: 15)!, sex: .female,
                permanentAddress: sonHa, isHouseholdHead: false),
            Citizen(
                idNumber: "001090012345", fullName: "Lê Văn Đạt", birthDate: LocalDate(year: 1990, month: 3, day: 15)!, sex: .male,
                permanentAddress: tanLap, isHouseholdHead: true),
            // Registered in Thanh Hóa, living in Sơn Hà: the two addresses differ.
            Citizen(
                idNumber: "038185000001", fullName: "Lê Thị Mai", birthDate: LocalDate(year: 1985, month: 11, day: 2)!, sex: .female,
                permanentAddress: .init(provinceCode: "38", communeCode: "38010", detail: "Thôn Trung 2, xã Quảng Phú, tỉnh Thanh Hóa"),
                currentAddress: hoaBinh, isHouseholdHead: false),
            Citizen(
                idNumber: "079203001234", fullName: "Trần Minh Khoa", birthDate: LocalDate(year: 2003, month: 9, day: 2)!, sex: .male,
                permanentAddress: .init(provinceCode: "79", communeCode: "79004", detail: "Số 27 đường Võ Thị Sáu, phường Tân Định, Thành phố Hồ Chí Minh"),
                isHouseholdHead: false),
            Citizen(
                idNumber: "004088001122", fullName: "Nông Văn Dũng", birthDate: LocalDate(year: 1988, month: 7, day: 20)!, sex: .male,
                ethnicity: "Tày",
                permanentAddress: .init(provinceCode: "04", communeCode: "04013", detail: "Bản Nà Rụa, xã Hòa An, tỉnh Cao Bằng"),
                isHouseholdHead: true),
        ]
    }()

    /// A population file that cannot be served.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Reads a JSON array of ``Citizen`` (the wire format) and checks every record.
    public static func loadCitizens(from path: String, currentYear: Int) throws -> [Citizen] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw LoadError(description: "cannot read \(path): \(error.localizedDescription)")
        }
        let citizens: [Citizen]
        do {
            citizens = try JSONDecoder().decode([Citizen].self, from: data)
        } catch {
            throw LoadError(description: "\(path) is not a JSON array of citizen records: \(error)")
        }
        for (i, c) in citizens.enumerated() {
            if let p = c.problem(currentYear: currentYear) { throw LoadError(description: "\(path), record \(i + 1): \(p)") }
        }
        return citizens
    }
}
