-- A GET as the one-stop officer of UBND xã Tân Lập (workbench list, a dossier's page).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("OFFICER_TOKEN")
