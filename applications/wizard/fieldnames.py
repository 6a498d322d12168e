"""Model fields of the employer's part that the wizard's steps save and signatures cover."""

EMPLOYMENT_FIELDS = (
    "post_title", "monthly_salary_hkd", "fringe_benefits", "contract_start", "contract_end",
    "workplace_address",
)  # fmt: skip
COMPANY_FIELDS = (
    "company_name_en", "company_name_zh", "business_registration_number", "incorporation_date",
    "company_address", "listed_main_board_or_gem", "recent_non_local_visa",
    "authorised_person_name", "authorised_person_title", "authorised_person_email",
    "authorised_person_phone",
)  # fmt: skip
