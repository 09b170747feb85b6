-- Counter reception: a dossier received at the window (created and received in one call).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("OFFICER_TOKEN")
wrk.body = '{"procedureCode":"1.001193","channel":"window","receivingUnit":"000.20.03.H99","applicant":{"idNumber":"001190012345","fullName":"Phạm Thị Hoa","phone":"0912345678"}}'
