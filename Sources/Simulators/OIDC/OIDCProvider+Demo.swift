// SPDX-License-Identifier: Apache-2.0
import Foundation

extension OIDCProvider {
    /// Who signs in where in the demo (`motcua sim oidc --realm …`), all with the password "demo".
    public enum Realm: String, Sendable, CaseIterable {
        /// The province's single sign-on portal: the demo officials, at level 2 (the portal asks
        /// its own second factor), except `officer.l1`: the officer signing in with a password only.
        case officials
        /// The national e-ID: the population simulator's well-known people, by personal ID
        /// number; Trần Minh Khoa's account is level 1 (not yet verified at a police station).
        case citizens

        public var title: String {
            switch self {
            case .officials: "Cổng đăng nhập một lần tỉnh Sơn Hà (mô phỏng)"
            case .citizens: "Tài khoản định danh điện tử VNeID (mô phỏng)"
            }
        }

        public var people: [Person] {
            switch self {
            case .officials:
                let named = [("admin", "Quản trị hệ thống"), ("officer", "Nguyễn Thị Lan"), ("specialist", "Trần Văn Minh"), ("leader", "Lê Quang Huy")]
                return named.map { Person(username: $0.0, password: "demo", claims: ["preferred_username": $0.0, "name": $0.1], acr: "2", amr: ["pwd", "otp"]) }
                    + [Person(username: "officer.l1", password: "demo", claims: ["preferred_username": "officer", "name": "Nguyễn Thị Lan"], acr: "1", amr: ["pwd"], sameAs: "officer")]
            case .citizens:
                return PopulationSimulator.wellKnown.map { c in
                    Person(
                        username: c.idNumber, password: "demo", claims: ["citizen_id": c.idNumber, "name": c.fullName, "birthdate": c.birthDate.description],
                        acr: c.idNumber == "079203001234" ? "1" : "2", amr: ["pwd"])
                }
            }
        }
    }
}
